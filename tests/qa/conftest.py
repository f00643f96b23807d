"""Claim verification needs meaning across languages: one Semantics per session, centred
on the shipped corpus's sentences (no index needed), and the checker built on it."""

import pytest

from core.settings import REPO_ROOT, Settings
from qa.adversarial import corpus_semantics
from qa.verification import ClaimChecker


@pytest.fixture(scope="session")
def verification_settings() -> Settings:
    return Settings(corpus_dir=REPO_ROOT / "corpus")


@pytest.fixture(scope="session")
def semantics(verification_settings):
    return corpus_semantics(verification_settings)


@pytest.fixture(scope="session")
def checker(verification_settings, semantics) -> ClaimChecker:
    return ClaimChecker(verification_settings, semantics)
