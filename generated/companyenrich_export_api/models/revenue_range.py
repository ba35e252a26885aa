from enum import StrEnum


class RevenueRange(StrEnum):
    OVER_1B = "over-1b"
    UNDER_1M = "under-1m"
    VALUE_1 = "1m-10m"
    VALUE_2 = "10m-50m"
    VALUE_3 = "50m-100m"
    VALUE_4 = "100m-200m"
    VALUE_5 = "200m-1b"

    def __str__(self) -> str:
        return str(self.value)
