from referrals.models.reference import Country, LocalAuthority, Nationality, PoliceForce, UkRegion, UkTown
from referrals.models.referral import Draft, EvidenceFile, Referral, ReferralFeedback, ReferralPolicy, Route

__all__ = [
    "Country",
    "Draft",
    "EvidenceFile",
    "LocalAuthority",
    "Nationality",
    "PoliceForce",
    "Referral",
    "ReferralFeedback",
    "ReferralPolicy",
    "Route",
    "UkRegion",
    "UkTown",
]
