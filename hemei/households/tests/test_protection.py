"""Identity numbers and phones: encrypted at rest, found by blind index, validated, masked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from hemei.accounts.models import mask_phone
from hemei.households.models import Household, Resident
from hemei.households.validators import (
    id_check_digit,
    mask_id_number,
    validate_id_number,
    validate_phone,
)

ID = "370215198001011234"


def test_check_digit_examples() -> None:
    # Published example of GB 11643: 11010519491231002X.
    assert id_check_digit("11010519491231002") == "X"
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("37021519800101123", "id_length"),
        ("3702151980010112A4", "id_shape"),
        ("370215198013011234", "id_date"),
        ("370215198001011236", "id_checksum"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_id_number(value)
    assert raised.value.code == code


def test_phones() -> None:
    assert validate_phone("139 0000 0001") == "13900000001"
    assert validate_phone("0532-88881234") == "0532-88881234"
    with pytest.raises(ValidationError):
        validate_phone("12345")


def test_masks() -> None:
    assert mask_id_number(ID) == "370215********1234"
    assert mask_phone("13900000001") == "139****0001"


@pytest.mark.django_db
def test_the_column_holds_ciphertext_and_reads_back_plain(cast) -> None:
    assert id_check_digit(ID[:17]) == ID[17]
    household = Household.objects.create(village_id="370215100214", number="H1")
    resident = Resident.objects.create(
        household=household, name="王一", id_number=ID, phone="13900000001"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM households_resident WHERE id = %s",
            [resident.pk],
        )
        stored_id, stored_phone, index = cursor.fetchone()
    assert ID not in stored_id and "13900000001" not in stored_phone
    assert ID not in index and "0001" not in stored_phone
    fresh = Resident.objects.get(pk=resident.pk)
    assert (fresh.id_number, fresh.phone) == (ID, "13900000001")
    assert fresh.village_id == "370215100214"
    assert list(Resident.objects.with_id_number(ID.lower())) == [fresh]
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.create(household=household, name="王二", id_number=ID)


def test_the_key_comes_from_the_environment_or_a_file(settings, tmp_path, monkeypatch) -> None:
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured

    from hemei.households import crypto

    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("HEMEI_FIELD_KEY", raising=False)
    crypto._keys.cache_clear()
    try:
        token = crypto.encrypt(ID)
        key_file = tmp_path / "field_key"
        assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
        assert Fernet(key_file.read_text(encoding="utf-8")).decrypt(token.encode()).decode() == ID
        crypto._keys.cache_clear()
        assert crypto.decrypt(token) == ID  # the file is reused, not regenerated
        digest = crypto.blind_index(ID)
        monkeypatch.setenv("HEMEI_FIELD_KEY", Fernet.generate_key().decode())
        crypto._keys.cache_clear()
        assert crypto.blind_index(ID) != digest  # the index is keyed
        with pytest.raises(crypto.InvalidToken):
            crypto.decrypt(token)
        monkeypatch.setenv("HEMEI_FIELD_KEY", "not-a-key")
        crypto._keys.cache_clear()
        with pytest.raises(ImproperlyConfigured):
            crypto.encrypt(ID)
    finally:
        monkeypatch.delenv("HEMEI_FIELD_KEY", raising=False)
        crypto._keys.cache_clear()


def test_two_processes_making_the_key_file_at_once_share_one_key(tmp_path) -> None:
    """The server's processes may all start on a new data directory: whichever writes the
    key file first, every one of them uses that key."""
    from cryptography.fernet import Fernet

    from hemei.households import crypto

    key_file = tmp_path / "field_key"
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert crypto._create_key_file(key_file, first) == first
    assert crypto._create_key_file(key_file, second) == first
    assert key_file.read_text(encoding="utf-8") == first and [
        p.name for p in tmp_path.iterdir()
    ] == ["field_key"]
