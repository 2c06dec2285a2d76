"""When to send, learned from the results (issue 30): `mcplan timing`."""

from mcplan.timing.result import METRICS, WEEKDAYS, Cell, SendTime, Slot, TimingResult

__all__ = ["METRICS", "WEEKDAYS", "Cell", "SendTime", "Slot", "TimingResult"]
