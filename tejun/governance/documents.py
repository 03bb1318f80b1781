"""Printed documents: the 自己点検票 of one person and the summary of a year's self-inspection (A4, 和暦)."""

from django.utils import timezone

from tejun.lib.pdf import render_pdf

from . import selectors


def sheet_pdf(response) -> bytes:
    campaign = response.campaign
    answers = selectors.answers_by_item(response)
    rows = [{"item": item, "answer": answers.get(item.pk)} for item in campaign.items.all()]
    return render_pdf("governance/pdf_sheet.html", {
        "campaign": campaign, "response": response, "person": response.person, "rows": rows,
        "body": campaign.body, "printed": timezone.localdate(),
    })


def summary_pdf(campaign) -> bytes:
    responses = list(selectors.responses_of(campaign))
    return render_pdf("governance/pdf_summary.html", {
        "campaign": campaign, "totals": selectors.campaign_totals(campaign), "body": campaign.body,
        "responses": responses, "unanswered": [r for r in responses if r.submitted_at is None],
        "submitted_count": sum(1 for r in responses if r.submitted_at),
        "actions": list(selectors.actions_of(campaign)), "printed": timezone.localdate(),
    })
