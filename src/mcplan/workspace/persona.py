"""A buyer persona: who they are, how many contacts they stand for, and how to reach them."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mcplan.workspace.fields import (
    Consent,
    Count,
    CountryCode,
    FileModel,
    Fraction,
    Locale,
    Market,
    Pressure,
    Stage,
    StrictModel,
    Text,
    TimeZoneName,
    cross_checking,
    disagree,
)
from mcplan.workspace.ids import Id, Ref
from mcplan.workspace.send_times import SendTimeSlot, channels_listed


class PersonaChannel(StrictModel):
    """How a persona relates to one channel."""

    reach: Fraction = Field(
        description="Share of the persona's contacts reachable on this channel, 0 to 1."
    )
    affinity: Fraction = Field(
        description="How much the persona likes being reached on this channel, 0 to 1."
    )
    consent: Consent = Field(
        Consent.NONE,
        description="Consent held for this channel: opt_in (prior agreement), opt_out (may be "
        "contacted until they object) or none. Default: none.",
    )


class Persona(FileModel):
    """One buyer persona (`personas/<id>.yaml`)."""

    # What a file that does not validate is checked with in place of a wrong or missing
    # `size` or `stage` (see `problems.salvaged`): no check reads them (only the plan, which
    # leaves such a file out), so the rest of the file and the touches to the persona are
    # checked in the same run. Not `market`: the law asks for consent by market.
    STAND_INS: ClassVar[dict[str, Any]] = {"size": 0, "stage": "loyalty"}

    id: Id = Field(description="Unique id used by campaigns. Default: the file name.")
    name: Text = Field("", description="Display name. Default: the id.")
    description: Text = Field("", description="Who this persona is, in a sentence or two.")
    market: Market = Field(description="b2c (consumers) or b2b (professionals).")
    size: Count = Field(description="Number of contacts this persona represents.")
    stage: Stage = Field(
        description="Lifecycle stage: prospection, acquisition, loyalty or reactivation."
    )
    locale: Locale | None = Field(
        None, description="Language and region for texts, like fr-FR. Default: the workspace's."
    )
    timezone: TimeZoneName | None = Field(
        None,
        description="IANA time zone in which touch times are read, like Europe/Paris. "
        "Default: the workspace's.",
    )
    country: CountryCode | None = Field(
        None,
        description="ISO 3166 country code for public holidays, like FR, or a region of it "
        "(ISO 3166-2), like FR-57 (Moselle), DE-BY or GB-SCT. Default: the workspace's "
        "`country` when the persona's locale is of that country (or not written), else the "
        "locale's region.",
    )
    profile: dict[Text, Any] = Field(
        default_factory=dict,
        description="Descriptive criteria, free keys: age, job, location, income, company_size…",
    )
    channels: dict[Ref, PersonaChannel] = Field(
        default_factory=dict,
        description="Channels this persona uses, by channel id, with reach, affinity and consent.",
    )
    pressure: Pressure | None = Field(
        None,
        description="Contact pressure caps for this persona; each cap not written here is the "
        "workspace's.",
    )
    send_times: dict[Ref, SendTimeSlot] = Field(
        default_factory=dict,
        description="The local slot each channel's contacts engage most at, by channel id, as "
        "`mcplan timing --write` learns it from the results: weekday (or null: any day), hour, "
        "and the evidence (metric, sends, period, rate, interval).",
    )

    @field_validator("send_times")
    @classmethod
    def _listed(
        cls, value: dict[str, SendTimeSlot], info: ValidationInfo
    ) -> dict[str, SendTimeSlot]:
        """Each learned channel is one the persona lists."""
        if "channels" in info.data and cross_checking(info):
            channels_listed(value, info.data["channels"])
        return value

    @model_validator(mode="before")
    @classmethod
    def _defaults_from_workspace(cls, data: Any, info: ValidationInfo) -> Any:
        """Fill locale, time zone and country from the workspace settings (the context)."""
        if not isinstance(data, dict):
            return data
        settings = (info.context or {}).get("settings")
        data = dict(data)
        if settings is not None:
            if settings.country and "country" not in data and _of(settings.country, data):
                data["country"] = settings.country
            data.setdefault("locale", settings.locale)
            data.setdefault("timezone", settings.timezone)
            own = data.get("pressure") or {}
            if isinstance(own, dict):  # caps written here replace the workspace's one by one
                data["pressure"] = {**settings.pressure.model_dump(exclude_none=True), **own}
        return data

    @model_validator(mode="after")
    def _country_from_locale(self, info: ValidationInfo) -> Persona:
        if self.country is None and self.locale and "-" in self.locale:
            object.__setattr__(self, "country", self.locale.split("-")[1])
        elif self.country is None and self.locale and cross_checking(info):
            raise disagree(
                f"'{self.locale}' has no region and no country is given: write the "
                f"locale with its region ({self.locale}-…), or add `country:` (its holidays and "
                "its law apply)",
                at="locale",
            )
        return self


def _of(country: str, data: dict[str, Any]) -> bool:
    """Whether the workspace's ``country`` is the persona's: its locale is not written, has no
    region, or has that country's (``en-GB`` for ``GB-SCT``)."""
    own = data.get("locale")
    if not isinstance(own, str):
        return True
    region = own.replace("_", "-").partition("-")[2]
    return not region or region == country.partition("-")[0]
