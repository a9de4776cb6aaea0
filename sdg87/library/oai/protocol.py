"""The OAI-PMH 2.0 request grammar and the resumption tokens: pure, no ORM.

`request_parse` turns the request's arguments (GET query or POST form, each name with all its
values) into an `OaiRequest` or raises `OaiError` with the protocol's error code. Tokens are
stateless: `token_encode` signs the list's state (verb, metadataPrefix, set, from, until, the
keyset position of the last record sent and the cursor) with django.core.signing, and
`token_decode` refuses a tampered, expired or foreign token (`badResumptionToken`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core import signing
from django.utils.translation import gettext as _

# Error codes of the protocol (section 3.6).
BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"  # noqa: S105 (an error code)
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_METADATA_FORMATS = "noMetadataFormats"
NO_RECORDS_MATCH = "noRecordsMatch"
NO_SET_HIERARCHY = "noSetHierarchy"

IDENTIFY = "Identify"
LIST_METADATA_FORMATS = "ListMetadataFormats"
LIST_SETS = "ListSets"
GET_RECORD = "GetRecord"
LIST_IDENTIFIERS = "ListIdentifiers"
LIST_RECORDS = "ListRecords"


@dataclass(frozen=True)
class VerbArguments:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None  # an argument that must come alone (resumptionToken)


_LIST_ARGS = VerbArguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS: dict[str, VerbArguments] = {
    IDENTIFY: VerbArguments(),
    LIST_METADATA_FORMATS: VerbArguments(optional=frozenset({"identifier"})),
    LIST_SETS: VerbArguments(exclusive="resumptionToken"),
    GET_RECORD: VerbArguments(required=frozenset({"identifier", "metadataPrefix"})),
    LIST_IDENTIFIERS: _LIST_ARGS,
    LIST_RECORDS: _LIST_ARGS,
}

# The patterns of OAI-PMH.xsd (setSpecType, metadataPrefixType).
SET_SPEC_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
PREFIX_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
SECONDS_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

DAY, SECONDS = "day", "seconds"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "sdg87.library.oai.resumption"  # noqa: S105 (a namespace, not a secret)


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Position:
    """Where a list stopped: the last record sent, in the order (datestamp, kind, id)."""

    datestamp: datetime
    kind: str
    pk: int

    def key(self) -> tuple[datetime, str, int]:
        return (self.datestamp, self.kind, self.pk)


@dataclass(frozen=True)
class ListState:
    """A list request, first or resumed. `lower` is inclusive, `upper` exclusive (the
    `until` argument's whole day or second is inside the list)."""

    verb: str
    metadata_prefix: str = ""
    set_spec: str = ""
    lower: datetime | None = None
    upper: datetime | None = None
    position: Position | None = None
    cursor: int = 0


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    arguments: dict[str, str] = field(default_factory=dict)  # echoed in <request>
    identifier: str = ""
    metadata_prefix: str = ""
    state: ListState | None = None  # for the list verbs (ListSets, ListIdentifiers, ...)
    resumed: bool = False


def format_datestamp(value: datetime) -> str:
    """UTC, to the second, as OAI-PMH writes it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: str) -> tuple[datetime, str]:
    """`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` -> (the instant it starts at, granularity)."""
    try:
        if DAY_RE.fullmatch(value):
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC), DAY
        if SECONDS_RE.fullmatch(value):
            parsed = datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
            return parsed, SECONDS
    except ValueError:
        pass
    raise OaiError(
        BAD_ARGUMENT,
        _("%(value)s is not a date in the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
        % {"value": value},
    )


def date_bounds(from_: str, until: str) -> tuple[datetime | None, datetime | None]:
    """The `from` and `until` arguments as [lower, upper): `until` covers its whole day or
    second. Mixed granularities and from > until are bad arguments."""
    lower = upper = None
    granularities = set()
    if from_:
        lower, granularity = parse_utc(from_)
        granularities.add(granularity)
    if until:
        start, granularity = parse_utc(until)
        granularities.add(granularity)
        upper = start + (timedelta(days=1) if granularity == DAY else timedelta(seconds=1))
    if len(granularities) > 1:
        raise OaiError(BAD_ARGUMENT, _("from and until must have the same granularity."))
    if lower is not None and upper is not None and lower >= upper:
        raise OaiError(BAD_ARGUMENT, _("from is later than until."))
    return lower, upper


def request_parse(
    params: Mapping[str, Sequence[str]], *, formats: Sequence[str], token_max_age: int
) -> OaiRequest:
    """Check the verb and its arguments (section 3.1 and 4): a missing, unknown or repeated
    verb is badVerb; a missing required, unknown or repeated argument, or a resumptionToken
    with other arguments, is badArgument; an unknown metadataPrefix is
    cannotDisseminateFormat."""
    verbs = list(params.get("verb", []))
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if not verbs:
            raise OaiError(BAD_VERB, _("The verb argument is missing."))
        if len(verbs) > 1:
            raise OaiError(BAD_VERB, _("The verb argument is repeated."))
        raise OaiError(BAD_VERB, _("%(verb)s is not an OAI-PMH verb.") % {"verb": verbs[0]})
    verb = verbs[0]
    spec = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        allowed = spec.required | spec.optional | ({spec.exclusive} if spec.exclusive else set())
        if name not in allowed:
            raise OaiError(
                BAD_ARGUMENT,
                _("%(name)s is not an argument of %(verb)s.") % {"name": name, "verb": verb},
            )
        if len(values) != 1:
            raise OaiError(BAD_ARGUMENT, _("%(name)s is repeated.") % {"name": name})
        arguments[name] = values[0]

    if spec.exclusive and spec.exclusive in arguments:
        if len(arguments) > 1:
            raise OaiError(
                BAD_ARGUMENT, _("resumptionToken must be the only argument besides the verb.")
            )
        resumed = token_decode(arguments[spec.exclusive], verb=verb, max_age=token_max_age)
        return OaiRequest(verb=verb, arguments=arguments, state=resumed, resumed=True)

    missing = sorted(spec.required - arguments.keys())
    if missing:
        raise OaiError(
            BAD_ARGUMENT,
            _("%(verb)s needs the argument %(name)s.") % {"verb": verb, "name": missing[0]},
        )
    prefix = arguments.get("metadataPrefix", "")
    if "metadataPrefix" in arguments and not PREFIX_RE.fullmatch(prefix):
        raise OaiError(BAD_ARGUMENT, _("The metadataPrefix is malformed."))
    if "identifier" in arguments and not arguments["identifier"].strip():
        raise OaiError(BAD_ARGUMENT, _("The identifier is empty."))
    state: ListState | None = None
    if verb in (LIST_IDENTIFIERS, LIST_RECORDS):
        set_spec = arguments.get("set", "")
        if "set" in arguments and not SET_SPEC_RE.fullmatch(set_spec):
            raise OaiError(BAD_ARGUMENT, _("The set is not a setSpec."))
        lower, upper = date_bounds(arguments.get("from", ""), arguments.get("until", ""))
        state = ListState(
            verb=verb, metadata_prefix=prefix, set_spec=set_spec, lower=lower, upper=upper
        )
    elif verb == LIST_SETS:
        state = ListState(verb=verb)
    # Only once every argument is well formed: the error response echoes them.
    if "metadataPrefix" in arguments and prefix not in formats:
        raise OaiError(
            CANNOT_DISSEMINATE_FORMAT,
            _("The metadata format %(prefix)s is not offered.") % {"prefix": prefix},
        )
    return OaiRequest(
        verb=verb,
        arguments=arguments,
        identifier=arguments.get("identifier", ""),
        metadata_prefix=prefix,
        state=state,
    )


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _from_iso(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not a date")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive date")
    return parsed


def token_encode(state: ListState) -> str:
    payload: dict[str, object] = {
        "v": state.verb,
        "m": state.metadata_prefix,
        "s": state.set_spec,
        "f": _iso(state.lower),
        "u": _iso(state.upper),
        "c": state.cursor,
    }
    if state.position is not None:
        payload["p"] = [_iso(state.position.datestamp), state.position.kind, state.position.pk]
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def token_decode(token: str, *, verb: str, max_age: int) -> ListState:
    bad = OaiError(
        BAD_RESUMPTION_TOKEN, _("The resumption token is invalid, expired or not for this verb.")
    )
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        raise bad from None
    try:
        if not isinstance(payload, dict) or payload.get("v") != verb:
            raise bad
        position = None
        if payload.get("p") is not None:
            stamp, kind, pk = payload["p"]
            when = _from_iso(stamp)
            if when is None or not isinstance(kind, str) or not isinstance(pk, int):
                raise bad
            position = Position(datestamp=when, kind=kind, pk=pk)
        cursor = payload.get("c", 0)
        if not isinstance(cursor, int) or cursor < 0:
            raise bad
        return ListState(
            verb=verb,
            metadata_prefix=str(payload.get("m", "")),
            set_spec=str(payload.get("s", "")),
            lower=_from_iso(payload.get("f")),
            upper=_from_iso(payload.get("u")),
            position=position,
            cursor=cursor,
        )
    except (ValueError, TypeError, KeyError):
        raise bad from None
