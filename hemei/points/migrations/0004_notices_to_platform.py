"""The points' public notices move to the platform's one notice (``hemei.notices``).

Every entry that is or was in public notice gets its notices, every points objection becomes
a notice objection with the same person, times, state and answer. Nothing is lost:

* the notice an entry is in (or took effect after) keeps exactly its ``notice_starts_at`` and
  ``notice_ends_at``: running if the entry is still in notice, else ended at its end;
* an earlier notice, closed by an objection (the old objection cleared the entry's notice
  fields), is rebuilt from the entry's steps: it started when the entry went into notice,
  was planned for the village's notice period, and closed when the objection sent the entry
  back to review;
* each objection goes to the notice that ran when it was raised.

The reverse puts the latest notice's times back on the entries and the objections back on
their entries, then removes the notices of entries.
"""

import datetime as dt

from django.db import migrations

from hemei.documents.rendering import mask_numbers

IN_NOTICE, EFFECTIVE, ASSESSED = "in_notice", "effective", "assessed"
DEFAULT_DAYS = 7
ENDED_WELL = "公示期满无异议。"
ENDED_BY_OBJECTION = "收到异议，已退回发布公示的环节处理。"
REBUILT = "（由积分原异议记录重建的公示。）"


def _texts(entry):
    household = entry.household
    head = household.head.name if household.head_id else ""
    points = f"{entry.points:+d}"
    title = f"积分公示：{household.number}号户{head}，{points}分"
    body = (
        f"{household.number}号户（户主{head}）：{entry.item.code} {entry.item.title}，"
        f"{points}分。事由：{entry.description}"
    )
    if entry.corrects_id:
        body += f" （更正第{entry.corrects_id}号记录。）"
    return mask_numbers(title)[:200], mask_numbers(body)


def _days(starts, ends, fallback):
    span = ends - starts
    if span.total_seconds() > 0 and span % dt.timedelta(days=1) == dt.timedelta(0):
        return max(1, min(span.days, 90))
    return fallback


def forward(apps, schema_editor):
    Entry = apps.get_model("points", "Entry")
    EntryTransition = apps.get_model("points", "EntryTransition")
    Objection = apps.get_model("points", "Objection")
    VillageSettings = apps.get_model("points", "VillageSettings")
    Notice = apps.get_model("notices", "Notice")
    NoticeObjection = apps.get_model("notices", "NoticeObjection")
    ContentType = apps.get_model("contenttypes", "ContentType")

    entry_type, _created = ContentType.objects.get_or_create(app_label="points", model="entry")
    period = dict(VillageSettings.objects.values_list("village_id", "notice_days"))
    objected = set(Objection.objects.values_list("entry_id", flat=True))
    noticed = set(
        Entry.objects.filter(notice_starts_at__isnull=False).values_list("pk", flat=True)
    )
    for pk in sorted(objected | noticed):
        entry = Entry.objects.select_related("household", "household__head", "item").get(pk=pk)
        days = period.get(entry.village_id, DEFAULT_DAYS)
        title, body = _texts(entry)
        steps = list(EntryTransition.objects.filter(entry=entry).order_by("at", "id"))
        postings = [s for s in steps if s.to_state == IN_NOTICE]
        reopenings = [s for s in steps if s.from_state == IN_NOTICE and s.to_state == ASSESSED]

        def notice(**fields):
            return Notice.objects.create(
                village_id=entry.village_id,
                kind="points",
                title=title,
                content_type=entry_type,
                object_id=entry.pk,
                unit="day",
                **fields,
            )

        made = []  # (starts_at, notice), in time order
        current = entry.notice_starts_at is not None
        earlier = postings[:-1] if current and postings else postings
        for posting in earlier:
            closing = next((r for r in reopenings if r.at >= posting.at), None)
            closed_at = closing.at if closing else posting.at
            made.append(
                notice(
                    body=body,
                    starts_at=posting.at,
                    ends_at=max(posting.at + dt.timedelta(days=days), closed_at),
                    days=days,
                    state="ended",
                    closed_at=closed_at,
                    outcome=ENDED_BY_OBJECTION,
                    posted_by_id=posting.actor_id,
                    created_at=posting.at,
                )
            )
        if current:
            starts, ends = entry.notice_starts_at, entry.notice_ends_at or entry.notice_starts_at
            running = entry.state == IN_NOTICE
            made.append(
                notice(
                    body=body,
                    starts_at=starts,
                    ends_at=ends,
                    days=_days(starts, ends, days),
                    state="posted" if running else "ended",
                    closed_at=None if running else ends,
                    outcome=""
                    if running
                    else (ENDED_WELL if entry.state == EFFECTIVE else ENDED_BY_OBJECTION),
                    posted_by_id=postings[-1].actor_id if postings else entry.created_by_id,
                    created_at=starts,
                )
            )
        objections = list(Objection.objects.filter(entry=entry).order_by("raised_at", "id"))
        if objections and not made:
            first = objections[0].raised_at
            made.append(
                notice(
                    body=f"{body}\n{REBUILT}",
                    starts_at=first,
                    ends_at=first,
                    days=days,
                    state="ended",
                    closed_at=first,
                    outcome=ENDED_BY_OBJECTION,
                    posted_by_id=entry.created_by_id,
                    created_at=first,
                )
            )
        for objection in objections:
            home = made[0]
            for candidate in made:
                if candidate.starts_at <= objection.raised_at:
                    home = candidate
            NoticeObjection.objects.create(
                notice=home,
                raised_by_id=objection.raised_by_id,
                reason=objection.reason,
                raised_at=objection.raised_at,
                state=objection.state,
                answer=objection.answer,
                answered_by_id=objection.answered_by_id,
                answered_at=objection.answered_at,
            )


def backward(apps, schema_editor):
    Entry = apps.get_model("points", "Entry")
    Objection = apps.get_model("points", "Objection")
    Notice = apps.get_model("notices", "Notice")
    NoticeObjection = apps.get_model("notices", "NoticeObjection")
    ContentType = apps.get_model("contenttypes", "ContentType")

    entry_type = ContentType.objects.filter(app_label="points", model="entry").first()
    if entry_type is None:
        return
    notices = Notice.objects.filter(content_type=entry_type)
    latest = {}
    for notice in notices.exclude(state="withdrawn").order_by("starts_at", "id"):
        latest[notice.object_id] = notice
    for entry in Entry.objects.filter(pk__in=list(latest), state__in=[IN_NOTICE, EFFECTIVE]):
        notice = latest[entry.pk]
        entry.notice_starts_at, entry.notice_ends_at = notice.starts_at, notice.ends_at
        entry.save(update_fields=["notice_starts_at", "notice_ends_at"])
    objections = NoticeObjection.objects.filter(notice__in=notices).select_related("notice")
    for objection in objections.order_by("raised_at", "id"):
        Objection.objects.create(
            entry_id=objection.notice.object_id,
            raised_by_id=objection.raised_by_id,
            reason=objection.reason,
            raised_at=objection.raised_at,
            state=objection.state,
            answer=objection.answer,
            answered_by_id=objection.answered_by_id,
            answered_at=objection.answered_at,
        )
    objections.delete()
    notices.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0003_jobs_module"),
        ("notices", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
