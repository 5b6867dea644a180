import pytest

from generator.pipeline import collect
from tests.helpers import SEEDS, repo_config


@pytest.fixture(scope="session")
def config():
    return repo_config()


@pytest.fixture(scope="session")
def seeds_collected(config):
    """The bundled seed dumps, read, deduplicated and classified (nothing written)."""
    return collect(config, [SEEDS])
