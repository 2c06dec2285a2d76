"""`mcplan attribute`: which channels earned the conversions, by several models."""

from mcplan.attribution.arrays import Paths
from mcplan.attribution.data import read
from mcplan.attribution.models import MODELS, Attribution, Options, attribute
from mcplan.attribution.paths import from_paths

__all__ = ["MODELS", "Attribution", "Options", "Paths", "attribute", "from_paths", "read"]
