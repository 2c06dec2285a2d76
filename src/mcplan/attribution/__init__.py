"""`mcplan attribute`: which channels earned the conversions, by several models."""

from mcplan.attribution.data import Journeys, from_paths, read
from mcplan.attribution.models import MODELS, Attribution, Options, attribute

__all__ = ["MODELS", "Attribution", "Journeys", "Options", "attribute", "from_paths", "read"]
