"""The national 四议两公开 process, shipped with the platform (counties add variants)."""

from django.db import migrations

NAME = "四议两公开"
# position, kind, name, body, present (num, den, strict), pass (num, den, base, strict), note
STEPS = [
    (1, "proposal", "党支部提议", "党支部委员会", (0, 1, False), (1, 2, "present", True), ""),
    (2, "consultation", "两委会商议", "村党组织和村民委员会联席会议", (0, 1, False),
     (1, 2, "present", True), ""),
    (3, "party_review", "党员大会审议", "党员大会", (2, 3, False), (1, 2, "entitled", True),
     "到会党员不少于应到会党员的三分之二；应到会党员半数以上同意"),
    (4, "resolution", "村民代表会议决议", "村民代表会议", (2, 3, False), (1, 2, "present", True),
     "⚠ 可配置：村民委员会组织法第二十六条，三分之二以上组成人员参加，到会人员过半数同意；"
     "村民会议按第二十二条：十八周岁以上村民过半数或三分之二以上的户的代表参加"),
    (5, "publish_resolution", "决议公开", "", (0, 1, False), (1, 2, "present", True), ""),
    (6, "publish_result", "实施结果公开", "", (0, 1, False), (1, 2, "present", True), ""),
]


def ship(apps, schema_editor):
    Process = apps.get_model("procedures", "DecisionProcess")
    Step = apps.get_model("procedures", "DecisionStep")
    process = Process.objects.create(
        name=NAME,
        division=None,
        description="党支部提议、两委会商议、党员大会审议、村民（代表）会议决议，决议公开、实施结果公开。",
    )
    for position, kind, name, body, present, passing, note in STEPS:
        Step.objects.create(
            process=process,
            position=position,
            kind=kind,
            name=name,
            body=body,
            present_num=present[0],
            present_den=present[1],
            present_strict=present[2],
            pass_num=passing[0],
            pass_den=passing[1],
            pass_base=passing[2],
            pass_strict=passing[3],
            configurable_note=note,
        )


def unship(apps, schema_editor):
    apps.get_model("procedures", "DecisionProcess").objects.filter(
        name=NAME, division=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_decision_records")]

    operations = [migrations.RunPython(ship, unship)]
