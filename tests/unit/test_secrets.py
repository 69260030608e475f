"""Secrets are masked wherever a row carries them."""

from __future__ import annotations

from icsgraph.secrets import MASK, mask_rows


def test_secret_columns_properties_and_pairs_are_masked() -> None:
    rows = [
        {
            "password": "Hadmin",
            "node": {"username": "admin", "password": "Hadmin", "community": "public"},
            "values": [["username", "admin"], ["password", "Hadmin"]],
            "note": ["password", "Hadmin", "extra"],
        }
    ]

    masked = mask_rows(["password", "node", "values", "note"], rows)

    assert masked == [
        {
            "password": MASK,
            "node": {"username": "admin", "password": MASK, "community": MASK},
            "values": [["username", "admin"], ["password", MASK]],
            "note": ["password", "Hadmin", "extra"],  # not a pair: a list of text
        }
    ]


def test_empty_secrets_stay_empty_and_other_values_are_untouched() -> None:
    rows = [{"password": None, "ip": "10.0.0.1", "n": 3}]

    assert mask_rows(["password", "ip", "n"], rows) == rows
