from enum import StrEnum


class BusinessCategory(StrEnum):
    B2B = "b2b"
    B2C = "b2c"
    B2G = "b2g"
    E_COMMERCE = "e-commerce"
    MEDIA = "media"
    MOBILE = "mobile"
    SAAS = "saas"
    SERVICE_PROVIDER = "service-provider"

    def __str__(self) -> str:
        return str(self.value)
