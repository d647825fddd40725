"""What the call figures look like in an answer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CallMetricsOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    center: str | None = Field(description="the center, or null for the whole network")
    from_: datetime = Field(alias="from")
    to: datetime
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int = Field(description="abandoned after waiting less than short_abandon_s")
    abandon_rate: float | None = Field(description="(abandoned - short) / (offered - short); null without calls")
    asa_s: float | None = Field(description="average speed of answer, seconds")
    aht_s: float | None = Field(description="average handle time (answered -> ended), seconds")
    service_level: float | None = Field(description="answered within service_level_s / (offered - short)")
    overflow_out: int
    overflow_in: int
    in_region_calls: int = Field(description="calls from the region's counties that did not overflow out")
    in_region_answer_rate: float | None
    short_abandon_s: int
    service_level_s: int
