"""Inputs and answers of the location lookups: the same models validate requests and describe them in OpenAPI."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

import geo
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.validation import Number

ZipCode = Annotated[str, Field(pattern=r"^[0-9]{5}(-[0-9]{4})?$", max_length=10,
                               description="5-digit ZIP code (ZIP+4 accepted)", examples=["77002"])]
CountyFips = Annotated[str, Field(pattern=r"^[0-9]{5}$", max_length=5, description="5-digit county FIPS code",
                                  examples=["48201"])]
Latitude = Annotated[Number, Field(ge=-90, le=90, description="latitude, with lon")]
Longitude = Annotated[Number, Field(ge=-180, le=180, description="longitude, with lat")]

INVALID_FIELD_MESSAGES = {
    "zip": N_("Enter a 5-digit ZIP code, like 77002 or 77002-1234."),
    "county": N_("Enter a 5-digit county FIPS code, like 48201."),
    "fips": N_("Enter a 5-digit county FIPS code, like 48201."),
    "lat": N_("Latitude must be a number from -90 to 90."),
    "lon": N_("Longitude must be a number from -180 to 180."),
}


class LocateIn(BaseModel):
    """Exactly one kind of location: a ZIP code, a county FIPS code, or a latitude and longitude together."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "oneOf": [{"required": ["zip"]}, {"required": ["county"]}, {"required": ["lat", "lon"]}]})
    FIELD_MESSAGES: ClassVar[dict[str, str]] = INVALID_FIELD_MESSAGES

    zip: ZipCode | None = None
    county: CountyFips | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "LocateIn":
        given = [name for name in ("zip", "county", "lat", "lon") if getattr(self, name) is not None]
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise ValidationFailed(N_("Give lat and lon together."),
                                   fields={missing: N_("Give this together with the other coordinate.")})
        kinds = {"point" if name in ("lat", "lon") else name for name in given}
        if len(kinds) != 1:
            raise ValidationFailed(
                N_("Give exactly one of: a ZIP code (zip), a county FIPS code (county), or lat and lon together."),
                fields={name: N_("Give exactly one kind of location.") for name in (given[1:] or ["zip"])},
            )
        return self


class AlternativeOut(BaseModel):
    county_fips: str
    county: str
    state: str
    ratio: float = Field(description="share of the ZIP code's addresses in this county")


class LocationOut(BaseModel):
    county_fips: str = Field(pattern=r"^[0-9]{5}$")
    county: str
    state: str
    lat: float | None
    lon: float | None
    alternatives: list[AlternativeOut]
    source: Literal["zip", "county", "point"] = Field(description="what was looked up")
    point_source: Literal["zcta", "county", "input"] | None = Field(
        description="where lat and lon come from: a ZIP centroid, a point inside the county, or the caller's own")

    @classmethod
    def of(cls, found: geo.Location) -> "LocationOut":
        return cls.model_validate(found.to_dict())


class CountyIn(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = INVALID_FIELD_MESSAGES

    fips: CountyFips
    geometry: Literal["0", "1", "true", "false"] = Field(default="0", description="1 to include the boundary")

    @property
    def with_geometry(self) -> bool:
        return self.geometry in ("1", "true")


class CountyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "geometry is present only when asked for"})

    county_fips: str
    county: str
    state: str
    state_name: str
    population: int | None
    neighbours: list[str]
    has_boundary: bool
    geometry: dict | None = Field(default=None, description="GeoJSON Polygon or MultiPolygon")


class CoverageIn(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "min_fraction": N_("Use a number greater than 0 and at most 1."),
    }

    min_fraction: Annotated[Number, Field(gt=0, le=1, description="share of a county's area that must be inside")] = 0.01


class CoveredCountyOut(BaseModel):
    county_fips: str
    county: str
    state: str
    fraction: float


class CoverageOut(BaseModel):
    repaired: bool = Field(description="true when a self-crossing shape had to be repaired")
    counties: list[CoveredCountyOut]


# GeoJSON as the API accepts it: longitude first, closed rings, polygons only.
Position = Union[
    tuple[Annotated[Number, Field(ge=-180, le=180)], Annotated[Number, Field(ge=-90, le=90)]],
    tuple[Annotated[Number, Field(ge=-180, le=180)], Annotated[Number, Field(ge=-90, le=90)], Number],
]
Ring = Annotated[list[Position], Field(min_length=4, description="closed: the last position repeats the first")]
PolygonRings = Annotated[list[Ring], Field(min_length=1)]


class GeoJsonPolygon(BaseModel):
    type: Literal["Polygon"]
    coordinates: PolygonRings


class GeoJsonMultiPolygon(BaseModel):
    type: Literal["MultiPolygon"]
    coordinates: Annotated[list[PolygonRings], Field(min_length=1)]


AreaGeometry = Annotated[Union[GeoJsonPolygon, GeoJsonMultiPolygon], Field(discriminator="type")]


class GeoJsonFeature(BaseModel):
    type: Literal["Feature"]
    geometry: AreaGeometry


class GeoJsonFeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: Annotated[list[GeoJsonFeature], Field(min_length=1)]


GeoJsonArea = Annotated[
    Union[GeoJsonPolygon, GeoJsonMultiPolygon, GeoJsonFeature, GeoJsonFeatureCollection],
    Field(discriminator="type",
          description="GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (lon, lat; at most 10,000 vertices). "
                      "Shapes too costly to repair or measure get 422 with the code too_complex."),
]
