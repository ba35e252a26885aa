from enum import StrEnum


class CountSimilarCompaniesAccept(StrEnum):
    APPLICATIONJSON = "application/json"
    APPLICATIONPROBLEMJSON = "application/problem+json"

    def __str__(self) -> str:
        return str(self.value)
