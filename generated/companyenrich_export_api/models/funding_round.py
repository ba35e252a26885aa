from enum import StrEnum


class FundingRound(StrEnum):
    ANGEL = "angel"
    DEBT_FINANCING = "debt_financing"
    OTHER = "other"
    SEED = "seed"
    SERIES_A = "series_a"
    SERIES_B = "series_b"
    SERIES_C = "series_c"
    SERIES_D = "series_d"
    SERIES_E = "series_e"
    SERIES_F = "series_f"
    SERIES_G = "series_g"
    SERIES_H = "series_h"
    VENTURE = "venture"

    def __str__(self) -> str:
        return str(self.value)
