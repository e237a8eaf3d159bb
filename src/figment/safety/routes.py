from __future__ import annotations

from fastapi import APIRouter

from figment import events
from figment.accounts.models import User
from figment.deps import AdminUser, CurrentUser, ServicesDep, SessionDep
from figment.safety import reports, teens
from figment.safety.schemas import (
    BirthdateIn,
    BirthdateOut,
    DecisionIn,
    DecisionList,
    DecisionOut,
    FeedPreferencesIn,
    FeedPreferencesOut,
    GuardianLinkOut,
    ReportIn,
    ReportList,
    ReportOut,
)
from figment.schemas import errors

router = APIRouter(prefix="/api", tags=["safety"])


@router.post("/reports", status_code=201, response_model=ReportOut, responses=errors(404))
def create_report(body: ReportIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> ReportOut:
    row = reports.report(session=session, reporter=user, hooks=services.likeness, **body.model_dump())
    return ReportOut.model_validate(row, from_attributes=True)


@router.get("/admin/reports", response_model=ReportList)
def queue(session: SessionDep, _operator: AdminUser) -> ReportList:
    rows = reports.open_reports(session=session)
    return ReportList(items=[ReportOut.model_validate(r, from_attributes=True) for r in rows])


@router.post("/admin/decisions", status_code=201, response_model=DecisionOut, responses=errors(404, 409))
def decide(body: DecisionIn, session: SessionDep, services: ServicesDep, operator: AdminUser) -> DecisionOut:
    row = reports.decide(session=session, operator=operator, hooks=services.likeness, **body.model_dump())
    return DecisionOut.model_validate(row, from_attributes=True)


@router.get("/admin/decisions", response_model=DecisionList)
def audit(session: SessionDep, _operator: AdminUser) -> DecisionList:
    rows = reports.decisions(session=session)
    return DecisionList(items=[DecisionOut.model_validate(r, from_attributes=True) for r in rows])


def _preferences(user: User) -> FeedPreferencesOut:
    rules = teens.feed_rules(user)
    return FeedPreferencesOut(
        personalised=rules.personalised,
        endless_scroll=rules.endless_scroll,
        teen=teens.is_teen(user),
        guardian_locked=user.guardian_locked,
    )


@router.put("/me/birthdate", response_model=BirthdateOut, responses=errors(409))
def set_birthdate(body: BirthdateIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> BirthdateOut:
    """An account made without a date of birth adds one (until then it is treated as a teen's)."""
    teens.set_birthdate(user=user, birthdate=body.birthdate, min_age=services.settings.min_age)
    session.flush()
    events.record(session, events.FeedRulesChanged(user.id))
    return BirthdateOut(birthdate=body.birthdate, teen=teens.is_teen(user))


@router.post("/me/guardian-link", status_code=201, response_model=GuardianLinkOut)
def guardian_link(user: CurrentUser) -> GuardianLinkOut:
    token = teens.create_guardian_link(user=user)
    return GuardianLinkOut(token=token, path=f"/api/guardian/{token}")


@router.post("/guardian/{token}", response_model=FeedPreferencesOut)
def guardian(token: str, body: FeedPreferencesIn, session: SessionDep, services: ServicesDep) -> FeedPreferencesOut:
    user = teens.guardian_set(
        session=session, token=token[:100], personalised=body.personalised, endless_scroll=body.endless_scroll
    )
    return _preferences(user)
