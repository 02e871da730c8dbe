"""Contains all the data models used in inputs/outputs"""

from .captured import Captured
from .captured_headers import CapturedHeaders
from .clock import Clock
from .clock_advance import ClockAdvance
from .counts import Counts
from .counts_statuses import CountsStatuses
from .delivery import Delivery
from .delivery_list import DeliveryList
from .error import Error
from .fault_create import FaultCreate
from .fault_list import FaultList
from .fault_rule import FaultRule
from .faults_cleared import FaultsCleared
from .history_info import HistoryInfo
from .request_entry import RequestEntry
from .request_list import RequestList
from .state import State
from .state_dropped_records import StateDroppedRecords
from .state_records import StateRecords
from .state_requests import StateRequests
from .violation import Violation
from .violation_kind import ViolationKind
from .violation_list import ViolationList

__all__ = (
    "Captured",
    "CapturedHeaders",
    "Clock",
    "ClockAdvance",
    "Counts",
    "CountsStatuses",
    "Delivery",
    "DeliveryList",
    "Error",
    "FaultCreate",
    "FaultList",
    "FaultRule",
    "FaultsCleared",
    "HistoryInfo",
    "RequestEntry",
    "RequestList",
    "State",
    "StateDroppedRecords",
    "StateRecords",
    "StateRequests",
    "Violation",
    "ViolationKind",
    "ViolationList",
)
