"""berdaya's village model: households, patrons, facilitators and self-help groups on Mesa."""

from sim.agents import EnterpriseNetwork, Facilitator, Household, KSMGroup, Patron
from sim.model import VillageModel
from sim.params import Params

__all__ = ["EnterpriseNetwork", "Facilitator", "Household", "KSMGroup", "Params", "Patron", "VillageModel"]
