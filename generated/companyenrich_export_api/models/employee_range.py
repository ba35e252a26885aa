from enum import StrEnum


class EmployeeRange(StrEnum):
    OVER_10K = "over-10K"
    VALUE_0 = "1-10"
    VALUE_1 = "11-50"
    VALUE_2 = "51-200"
    VALUE_3 = "201-500"
    VALUE_4 = "501-1K"
    VALUE_5 = "1K-5K"
    VALUE_6 = "5K-10K"

    def __str__(self) -> str:
        return str(self.value)
