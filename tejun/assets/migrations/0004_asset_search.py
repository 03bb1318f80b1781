"""The asset list's text search index (issue 8): on PostgreSQL a generated column search_text with a pg_trgm
index, on SQLite an FTS5 trigram table kept by triggers (tejun/assets/search.py). Existing assets are indexed
here; nothing changes in the models."""

from django.db import migrations


def install(apps, schema_editor):
    from tejun.assets import search

    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from tejun.assets import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0003_asset_due_idx'),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
