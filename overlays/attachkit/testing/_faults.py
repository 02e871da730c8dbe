"""Fault injection: rules that make the mock answer an error, wait, or drop the connection.

A rule targets an operation id, one of the non-API endpoints (``token``, ``upload``, ``download``) or ``*``.
It fires for its next ``times`` matching requests, or with probability ``p`` drawn from its own seeded generator,
or (with neither) for every matching request. The first rule that fires decides the request's fault; a request gets
at most one. See the ``attachkit.testing`` docstring for the command-line syntax parsed by :func:`parse_fault`.

The target ``webhook_delivery`` is not a request the mock receives but one it sends: each webhook delivery (one
event to one webhook) is matched like a request. Its items are ``latency=S`` (the delivery waits S seconds before
it is sent), ``drop`` (it is never sent, as if lost on the way; ``drop-before`` is the same), ``duplicate`` (it is
sent twice, the same bytes and signature both times) and ``bad-signature`` (``X-Spark-Signature`` is sent with a
wrong value; without a secret, with one that no secret gives), with ``times``, ``p`` and ``seed`` as usual. A ``*``
rule never applies to deliveries, and the delivery items apply to nothing else. Examples:
``webhook_delivery:duplicate:times=1``, ``webhook_delivery:drop:p=0.5:seed=3``, ``webhook_delivery:latency=0.5``,
``webhook_delivery:bad-signature``.
"""

from __future__ import annotations

import dataclasses
import email.utils
import random
import threading
import time
from collections.abc import Callable, Iterable
from typing import Literal

DELIVERY_TARGET = "webhook_delivery"
SPECIAL_TARGETS = ("token", "upload", "download", DELIVERY_TARGET)
# Statuses every spec documents on every operation, so a fault with one of them always conforms.
STANDARD_STATUSES = frozenset({423, 429, 500, 502, 503, 504})
RetryAfterForm = Literal["seconds", "http-date", "ms", "raw"]
DropWhen = Literal["before", "after"]


@dataclasses.dataclass(frozen=True)
class RetryAfter:
    """How a fault tells the client to wait: ``Retry-After`` in seconds, as an HTTP-date, as
    ``retry-after-ms``, or a raw (possibly malformed) header value."""

    form: RetryAfterForm
    value: str

    @classmethod
    def seconds(cls, seconds: int) -> RetryAfter:
        """``Retry-After: <seconds>``."""
        return cls("seconds", str(int(seconds)))

    @classmethod
    def http_date(cls, seconds: int) -> RetryAfter:
        """``Retry-After: <HTTP-date>``, ``seconds`` after the moment the response is sent."""
        return cls("http-date", str(int(seconds)))

    @classmethod
    def milliseconds(cls, milliseconds: int) -> RetryAfter:
        """``retry-after-ms: <milliseconds>`` (no ``Retry-After``)."""
        return cls("ms", str(int(milliseconds)))

    @classmethod
    def raw(cls, value: str) -> RetryAfter:
        """``Retry-After: <value>`` exactly as given, e.g. ``rand(30),add(30)``."""
        if "\r" in value or "\n" in value:
            raise ValueError("a header value cannot contain line breaks")
        return cls("raw", value)

    def headers(self) -> dict[str, str]:
        """The header(s) to send, computed now (HTTP-dates are relative to the real time of sending)."""
        if self.form == "ms":
            return {"retry-after-ms": self.value}
        if self.form == "http-date":
            return {"Retry-After": email.utils.formatdate(time.time() + int(self.value), usegmt=True)}
        return {"Retry-After": self.value}


@dataclasses.dataclass(eq=False)
class FaultRule:
    """One fault rule. Build it with :meth:`Faults.add` or :func:`parse_fault`; ``fired`` counts its uses."""

    target: str
    status: int | None = None
    retry_after: RetryAfter | None = None
    html: bool = False
    latency: float = 0.0
    drop: DropWhen | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    duplicate: bool = False
    bad_signature: bool = False
    fired: int = 0
    _rng: random.Random = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.status is not None and self.drop is not None:
            raise ValueError("a fault either answers a status or drops the connection, not both")
        if self.target == DELIVERY_TARGET:
            if self.status is not None or self.drop == "after":
                raise ValueError(f"a {DELIVERY_TARGET} fault is latency, drop, duplicate or bad-signature")
        elif self.duplicate or self.bad_signature:
            raise ValueError(f"duplicate and bad-signature only apply to {DELIVERY_TARGET}")
        if self.duplicate and self.drop is not None:
            raise ValueError("a delivery is either dropped or duplicated, not both")
        acts = self.status is not None or self.drop is not None or self.duplicate or self.bad_signature
        if not acts and self.latency <= 0:
            raise ValueError("a fault needs a status, a drop or some latency")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError("a fault status must be a 4xx or 5xx")
        if self.status is None and (self.retry_after is not None or self.html):
            raise ValueError("retry-after and html only apply to a status fault")
        if self.latency < 0:
            raise ValueError("latency cannot be negative")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1")
        if self.probability is not None and not 0 < self.probability <= 1:
            raise ValueError("p must be in (0, 1]")
        if self.seed is not None and self.probability is None:
            raise ValueError("a seed only makes sense with a probability")
        self._rng = random.Random(self.seed)  # noqa: S311 - fault dice, not cryptography

    def _roll(self) -> bool:
        """Decide whether this matching request gets the fault, consuming one use if it does."""
        if self.times is not None and self.fired >= self.times:
            return False
        if self.probability is not None and self._rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    @property
    def exhausted(self) -> bool:
        """True once a ``times`` rule has fired its last time."""
        return self.times is not None and self.fired >= self.times

    def describe(self) -> str:
        """The rule in the command-line syntax (``webhook_delivery:duplicate:times=1``)."""
        items: list[str] = [self.target]
        if self.status is not None:
            items.append(str(self.status))
        if self.drop is not None:
            items.append("drop" if self.target == DELIVERY_TARGET else f"drop-{self.drop}")
        if self.duplicate:
            items.append("duplicate")
        if self.bad_signature:
            items.append("bad-signature")
        if self.html:
            items.append("html")
        if self.latency > 0:
            items.append(f"latency={self.latency:g}")
        if self.times is not None:
            items.append(f"times={self.times}")
        if self.probability is not None:
            items.append(f"p={self.probability:g}")
        if self.seed is not None:
            items.append(f"seed={self.seed}")
        if self.retry_after is not None:
            key = {"seconds": "retry-after", "http-date": "retry-after-date", "ms": "retry-after-ms"}
            items.append(f"{key.get(self.retry_after.form, 'retry-after-raw')}={self.retry_after.value}")
        return ":".join(items)


# Decides whether a status is one the target's spec documents (so a fault with it conforms).
StatusCheck = Callable[[str, int], bool]
HtmlCheck = Callable[[str, int], bool]


class Faults:
    """The fault rules of one mock, safe to change from any thread while it serves."""

    def __init__(
        self,
        operations: Iterable[str] = (),
        documents_status: StatusCheck | None = None,
        offers_html: HtmlCheck | None = None,
    ) -> None:
        self._targets = frozenset(operations) | frozenset(SPECIAL_TARGETS) | {"*"}
        self._documents_status = documents_status or (lambda target, status: status in STANDARD_STATUSES)
        self._offers_html = offers_html or (lambda target, status: False)
        self._rules: list[FaultRule] = []
        self._fired = 0
        self._lock = threading.Lock()

    def add(
        self,
        target: str,
        *,
        status: int | None = None,
        retry_after: RetryAfter | int | str | None = None,
        html: bool = False,
        latency: float = 0.0,
        drop: DropWhen | None = None,
        times: int | None = None,
        probability: float | None = None,
        seed: int | None = None,
        duplicate: bool = False,
        bad_signature: bool = False,
    ) -> FaultRule:
        """Add a rule and return it. ``retry_after`` as an int means seconds, as a str a raw header value.
        ``duplicate`` and ``bad_signature`` are for the ``webhook_delivery`` target (``drop="before"`` there means
        the delivery is never sent).

        Raises ValueError for an unknown target, a status the target's spec does not document, or an HTML
        body where the spec documents only JSON.
        """
        rule = FaultRule(
            target=target,
            status=status,
            retry_after=as_retry_after(retry_after),
            html=html,
            latency=latency,
            drop=drop,
            times=times,
            probability=probability,
            seed=seed,
            duplicate=duplicate,
            bad_signature=bad_signature,
        )
        return self.install(rule)

    def add_spec(self, spec: str) -> FaultRule:
        """Add a rule written in the command-line syntax, e.g. ``send_message:429:retry-after=2:times=1``."""
        return self.install(parse_fault(spec))

    def install(self, rule: FaultRule) -> FaultRule:
        """Add an already built rule, after checking it against the specs."""
        if rule.target not in self._targets:
            known = ", ".join(sorted(self._targets))
            raise ValueError(f"unknown fault target {rule.target!r}; known: {known}")
        if rule.target != "*" and rule.status is not None:
            if not self._documents_status(rule.target, rule.status):
                raise ValueError(f"the spec does not document status {rule.status} for {rule.target}")
            if rule.html and not self._offers_html(rule.target, rule.status):
                raise ValueError(f"the spec documents no HTML body for {rule.target} {rule.status}")
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule (the count of fired faults is kept)."""
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        """The rules, in the order they are tried."""
        with self._lock:
            return list(self._rules)

    @property
    def fired(self) -> int:
        """How many faults have fired in total."""
        with self._lock:
            return self._fired

    def pick(self, target: str) -> FaultRule | None:
        """The fault for one request to ``target``, if a rule fires for it."""
        with self._lock:
            for rule in self._rules:
                if rule.target not in ("*", target) or (rule.target == "*" and target == DELIVERY_TARGET):
                    continue
                # A "*" status rule only reaches operations that document the status, so it stays in contract.
                if rule.status is not None and rule.target == "*" and not self._documents_status(target, rule.status):
                    continue
                if rule._roll():
                    self._fired += 1
                    return rule
            return None

    def wants_html(self, rule: FaultRule, target: str) -> bool:
        """Whether the fault's body is HTML here (a ``*`` rule falls back to JSON where HTML is undocumented)."""
        return rule.html and self._offers_html(target, rule.status or 0)

    def __repr__(self) -> str:
        return f"Faults(rules={len(self.rules)}, fired={self.fired})"


def as_retry_after(value: RetryAfter | int | str | None) -> RetryAfter | None:
    """`Faults.add`'s `retry_after`: an int is seconds, a str is sent verbatim."""
    if isinstance(value, bool):
        raise TypeError("retry_after must be a RetryAfter, an int (seconds) or a str (raw)")
    if isinstance(value, int):
        return RetryAfter.seconds(value)
    if isinstance(value, str):
        return RetryAfter.raw(value)
    return value


def _number(key: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{key} needs a number, got {text!r}") from None


def _integer(key: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{key} needs an integer, got {text!r}") from None


def parse_fault(spec: str) -> FaultRule:
    """Parse one fault written as ``TARGET:ITEM[:ITEM...]`` (see the ``attachkit.testing`` docstring)."""
    target, sep, rest = spec.strip().partition(":")
    if not target or not sep or not rest:
        raise ValueError(f"a fault is TARGET:ITEM[:ITEM...], got {spec!r}")
    status: int | None = None
    drop: DropWhen | None = None
    html = False
    latency = 0.0
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    retry: RetryAfter | None = None
    duplicate = bad_signature = False
    while rest:
        item, _, rest = rest.partition(":")
        key, has_value, value = item.partition("=")
        if key == "retry-after-raw" and has_value:
            # A raw value may contain ':' (an HTTP-date does), so it takes the rest of the string.
            retry = RetryAfter.raw(value + (":" + rest if rest else ""))
            rest = ""
        elif item.isdigit():
            status = int(item)
        elif item in ("drop-before", "drop"):
            if item == "drop" and target != DELIVERY_TARGET:
                raise ValueError(f"'drop' applies to {DELIVERY_TARGET}; say drop-before or drop-after in {spec!r}")
            drop = "before"
        elif item == "duplicate":
            duplicate = True
        elif item == "bad-signature":
            bad_signature = True
        elif item == "drop-after":
            drop = "after"
        elif item == "html":
            html = True
        elif key == "retry-after" and has_value:
            retry = RetryAfter.seconds(_integer(key, value))
        elif key == "retry-after-date" and has_value:
            retry = RetryAfter.http_date(_integer(key, value))
        elif key == "retry-after-ms" and has_value:
            retry = RetryAfter.milliseconds(_integer(key, value))
        elif key == "latency" and has_value:
            latency = _number(key, value)
        elif key == "times" and has_value:
            times = _integer(key, value)
        elif key == "p" and has_value:
            probability = _number(key, value)
        elif key == "seed" and has_value:
            seed = _integer(key, value)
        else:
            raise ValueError(f"unknown fault item {item!r} in {spec!r}")
    return FaultRule(
        target=target,
        status=status,
        retry_after=retry,
        html=html,
        latency=latency,
        drop=drop,
        times=times,
        probability=probability,
        seed=seed,
        duplicate=duplicate,
        bad_signature=bad_signature,
    )
