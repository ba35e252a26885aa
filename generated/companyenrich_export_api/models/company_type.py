from enum import StrEnum


class CompanyType(StrEnum):
    EDUCATIONAL = "educational"
    GOVERNMENT = "government"
    NONPROFIT = "nonprofit"
    PARTNERSHIP = "partnership"
    PRIVATE = "private"
    PUBLIC = "public"
    SELF_EMPLOYED = "self-employed"
    SELF_OWNED = "self-owned"

    def __str__(self) -> str:
        return str(self.value)
