from enum import StrEnum


class JobStatus(StrEnum):
    COMPLETED = "completed"
    COMPLETING = "completing"
    FAILED = "failed"
    PENDING = "pending"
    PROCESSING = "processing"

    def __str__(self) -> str:
        return str(self.value)
