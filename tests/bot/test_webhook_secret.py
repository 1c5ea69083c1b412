"""The webhook secret used when ``WEBHOOK_SECRET`` is not set: derived from the token, so every
start and every process on the token agree without it being printed anywhere."""

from __future__ import annotations

import re

from bot.webhook import secret_from_token, webhook_secret

TOKEN = "123456789:AAEexampleexampleexampleexample_-"
OTHER_TOKEN = "987654321:AAEanotheranotheranotheranother_-"
# What Telegram accepts as setWebhook's secret_token.
TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def test_the_same_token_always_gives_the_same_secret() -> None:
    assert secret_from_token(TOKEN) == secret_from_token(TOKEN)


def test_the_secret_is_one_telegram_accepts_and_long_enough_to_be_unguessable() -> None:
    secret = secret_from_token(TOKEN)
    assert TELEGRAM_SECRET.match(secret)
    # All 256 bits of the HMAC: 43 characters of base64.
    assert len(secret) == 43


def test_another_token_gives_another_secret_and_no_part_of_the_token_shows() -> None:
    secret = secret_from_token(TOKEN)
    assert secret != secret_from_token(OTHER_TOKEN)
    bot_id, _, key = TOKEN.partition(":")
    assert bot_id not in secret and key not in secret and key[:10] not in secret


def test_a_configured_secret_wins_over_the_derived_one() -> None:
    assert webhook_secret("chosen-by-the-operator", TOKEN) == "chosen-by-the-operator"
    assert webhook_secret(None, TOKEN) == secret_from_token(TOKEN)
