"""Reads of the governance app, shared by pages, the API, the reminders and the dashboard."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tejun.access.policy import get_visible, visible
from tejun.orgs.models import RoleAssignment, User
from tejun.orgs.roles import Role

from .models import (
    Acknowledgement,
    ImprovementAction,
    InspectionAnswer,
    InspectionCampaign,
    InspectionResponse,
    PolicyDocument,
    PolicyVersion,
)


def staff_queryset(body_ref, day: date | None = None) -> QuerySet[User]:
    """Active people of the body who are staff: everyone except accounts that hold only the vendor role.

    `body_ref` is a Body, a body id, or an OuterRef (so the dashboard can count inside one query).
    """
    day = day or timezone.localdate()
    valid = RoleAssignment.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def holds(roles_q):
        return Exists(valid.filter(roles_q, body_id=OuterRef("body_id")).filter(
            Q(person_id=OuterRef("pk")) | Q(post_id=OuterRef("post_id"))))

    return (User.objects.filter(body=body_ref, is_active=True)
            .exclude(holds(Q(role=Role.VENDOR)) & ~holds(~Q(role=Role.VENDOR))))


def staff_members(body, day: date | None = None) -> list[User]:
    return list(staff_queryset(body, day).select_related("post").order_by("furigana", "login_id"))


# ---------------------------------------------------------------- documents

def document_list(user) -> QuerySet[PolicyDocument]:
    return visible(user, PolicyDocument).select_related("current_version").order_by("kind")


def document_get(user, pk) -> PolicyDocument:
    return get_visible(user, PolicyDocument, pk)


def version_get(user, pk) -> PolicyVersion:
    return get_visible(user, PolicyVersion, pk)


def versions_of(document) -> QuerySet[PolicyVersion]:
    return document.versions.select_related("uploaded_by").order_by("-number")


def reviews_of(document):
    return document.reviews.select_related("approved_by", "recorded_by", "version").order_by("-reviewed_on", "-id")


@dataclass
class AckStatus:
    version: PolicyVersion | None
    acknowledged: list = field(default_factory=list)  # (person, acknowledged_at)
    pending: list = field(default_factory=list)        # people who have not yet read it


def acknowledgement_status(document) -> AckStatus:
    """Who has and who has not acknowledged the document's current version."""
    version = document.current_version
    if version is None:
        return AckStatus(None)
    done = {a.person_id: a for a in Acknowledgement.objects.filter(version=version).select_related("person")}
    staff = staff_members(document.body)
    return AckStatus(version, [(done[p.pk].person, done[p.pk].acknowledged_at) for p in staff if p.pk in done],
                     [p for p in staff if p.pk not in done])


def pending_acknowledgements(user) -> list[PolicyVersion]:
    """Current versions the user is asked to acknowledge and has not."""
    docs = visible(user, PolicyDocument).filter(requires_acknowledgement=True, current_version__isnull=False)
    done = Acknowledgement.objects.filter(person=user).values("version_id")
    return list(PolicyVersion.objects.filter(pk__in=docs.values("current_version_id")).exclude(pk__in=done)
                .select_related("document"))


def reviews_due(user, until: date) -> QuerySet[PolicyDocument]:
    return visible(user, PolicyDocument).filter(next_review_due__lte=until).order_by("next_review_due")


# ---------------------------------------------------------------- self-inspection

def campaign_list(user) -> QuerySet[InspectionCampaign]:
    return visible(user, InspectionCampaign).annotate(
        n_responses=Count("responses", distinct=True),
        n_submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False), distinct=True),
    ).order_by("-fiscal_year")


def campaign_get(user, pk) -> InspectionCampaign:
    return get_visible(user, InspectionCampaign, pk)


def response_of(campaign, person) -> InspectionResponse | None:
    return InspectionResponse.objects.filter(campaign=campaign, person=person).first()


def response_get(user, pk) -> InspectionResponse:
    return get_visible(user, InspectionResponse, pk)


def answers_by_item(response) -> dict[int, InspectionAnswer]:
    if response is None:
        return {}
    return {a.item_id: a for a in response.answers.all()}


@dataclass
class ItemTotal:
    item: object
    yes: int = 0
    no: int = 0
    na: int = 0

    @property
    def answered(self) -> int:
        return self.yes + self.no + self.na

    @property
    def yes_rate(self) -> int | None:
        """Percentage of はい among the answers that apply (該当なし left out)."""
        base = self.yes + self.no
        return round(100 * self.yes / base) if base else None


def campaign_totals(campaign) -> list[ItemTotal]:
    """Per item: how many answered はい / いいえ / 該当なし (submitted responses only). Two queries."""
    totals = {item.pk: ItemTotal(item) for item in campaign.items.all()}
    rows = (InspectionAnswer.objects.filter(response__campaign=campaign, response__submitted_at__isnull=False)
            .values("item_id", "answer").annotate(n=Count("id")).order_by())
    for row in rows:
        setattr(totals[row["item_id"]], row["answer"], row["n"])
    return list(totals.values())


def responses_of(campaign) -> QuerySet[InspectionResponse]:
    return campaign.responses.select_related("person", "person__post").order_by("person__furigana",
                                                                                 "person__login_id")


def actions_of(campaign) -> QuerySet[ImprovementAction]:
    return campaign.actions.select_related("item", "assignee").order_by("done_on", "due_on", "id")


def open_campaign(user) -> InspectionCampaign | None:
    return visible(user, InspectionCampaign).filter(closed_at__isnull=True).order_by("-fiscal_year").first()


def my_open_responses(user) -> QuerySet[InspectionResponse]:
    """The user's unanswered self-inspections of open campaigns."""
    return (InspectionResponse.objects.filter(person=user, body_id=user.body_id, submitted_at__isnull=True,
                                              campaign__closed_at__isnull=True)
            .select_related("campaign"))


def overdue_actions(user, today: date) -> QuerySet[ImprovementAction]:
    return (visible(user, ImprovementAction).filter(done_on__isnull=True, due_on__lt=today)
            .select_related("assignee", "campaign").order_by("due_on"))
