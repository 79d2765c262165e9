"""Status derived from approved facts: each transition, and facts logged out of order."""

from __future__ import annotations

from tests.domain.builders import case_log, day, summary_of
from tracker.domain.case import Status, summarize_case
from tracker.domain.events import (
    ChargeBrought,
    ChargeDropped,
    CustodyStage,
    DeathRecorded,
    DetentionRecorded,
    Disappeared,
    HealthConcernReported,
    HearingHeld,
    PersecutionRecorded,
    Released,
    ReleaseReason,
    RestrictionImposed,
    RestrictionKind,
    RestrictionLifted,
    TransferredToFacility,
    VerdictDelivered,
    VerdictOutcome,
    WhereaboutsEstablished,
)
from tracker.domain.values import Charge, Sentence, SentenceKind

TERRORISM = Charge(article="205.5", part="2", label="terrorism")
SABOTAGE = Charge(article="281", part="2", label="sabotage")
PRISON_13 = Sentence(kind=SentenceKind.IMPRISONMENT, years=13, regime="strict-regime colony")
SUSPENDED = Sentence(kind=SentenceKind.SUSPENDED, years=2)


def detained(when: str, stage: CustodyStage = CustodyStage.PRE_TRIAL) -> DetentionRecorded:
    return DetentionRecorded(date=day(when), stage=stage, act="detention")


def test_a_case_without_approved_facts_is_not_established() -> None:
    log = case_log()
    log.fact(detained("2019-03-27"), approve=False)
    summary = summarize_case(log.history())
    assert summary.status is Status.NOT_ESTABLISHED
    assert summary.status_since is None
    assert summary.detention_date is None


def test_a_pre_trial_detention_sets_status_date_and_act() -> None:
    summary = summary_of(
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27"), act="arrest")
    )
    assert summary.status is Status.PRE_TRIAL_DETENTION
    assert summary.status_since == day("2019-03-27")
    assert summary.detention_date == day("2019-03-27")
    assert summary.acts == ("arrest",)


def test_the_stage_of_a_detention_decides_the_custodial_status() -> None:
    assert summary_of(detained("2019", CustodyStage.SENTENCED)).status is Status.SERVING_SENTENCE
    assert summary_of(detained("2019", CustodyStage.UNKNOWN)).status is Status.IN_CUSTODY


def test_a_detention_of_unknown_stage_does_not_undo_a_known_one() -> None:
    summary = summary_of(detained("2019-03-27"), detained("2019-05", CustodyStage.UNKNOWN))
    assert summary.status is Status.PRE_TRIAL_DETENTION
    assert summary.detention_date == day("2019-03-27")


def test_a_charge_at_liberty_means_persecuted_at_liberty() -> None:
    summary = summary_of(ChargeBrought(date=day("2020-01-10"), charge=TERRORISM))
    assert summary.status is Status.PERSECUTED_AT_LIBERTY
    assert summary.charges == (TERRORISM,)


def test_a_charge_in_custody_keeps_the_custody_and_a_dropped_charge_goes() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        ChargeBrought(date=day("2019-03-28"), charge=TERRORISM),
        ChargeBrought(date=day("2019-03-28"), charge=SABOTAGE),
        ChargeDropped(date=day("2019-09"), charge=Charge(article="281", part="2")),
    )
    assert summary.status is Status.PRE_TRIAL_DETENTION
    assert summary.charges == (TERRORISM,)


def test_a_custodial_sentence_means_serving_it() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        VerdictDelivered(date=day("2020-09-16"), sentence=PRISON_13),
    )
    assert summary.status is Status.SERVING_SENTENCE
    assert summary.status_since == day("2020-09-16")
    assert summary.sentence == PRISON_13
    assert summary.verdict_date == day("2020-09-16")
    assert summary.detention_date == day("2019-03-27")


def test_a_custodial_sentence_at_liberty_begins_custody_in_the_courtroom() -> None:
    summary = summary_of(
        ChargeBrought(date=day("2020-01"), charge=TERRORISM),
        VerdictDelivered(date=day("2021-02-03"), sentence=PRISON_13),
    )
    assert summary.status is Status.SERVING_SENTENCE
    assert summary.detention_date == day("2021-02-03")


def test_a_non_custodial_sentence_ends_custody_but_not_persecution() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        TransferredToFacility(date=day("2019-04"), facility="SIZO-1 Simferopol"),
        VerdictDelivered(date=day("2020-01-15"), sentence=SUSPENDED),
    )
    assert summary.status is Status.PERSECUTED_AT_LIBERTY
    assert summary.detention_date is None
    assert summary.facility is None
    assert summary.sentence == SUSPENDED


def test_a_conviction_without_a_sentence_keeps_a_detainee_in_custody_as_serving() -> None:
    summary = summary_of(detained("2019-03-27"), VerdictDelivered(date=day("2020")))
    assert summary.status is Status.SERVING_SENTENCE
    assert summary.sentence is None


def test_an_appeal_upholding_the_verdict_keeps_the_sentence() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        VerdictDelivered(date=day("2020-09-16"), sentence=PRISON_13),
        VerdictDelivered(date=day("2021-03-01"), appeal=True),
    )
    assert summary.status is Status.SERVING_SENTENCE
    assert summary.sentence == PRISON_13


def test_an_acquittal_in_custody_releases_and_clears_the_charges() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        ChargeBrought(date=day("2019-03-28"), charge=TERRORISM),
        VerdictDelivered(date=day("2020-06-01"), outcome=VerdictOutcome.ACQUITTED),
    )
    assert summary.status is Status.RELEASED
    assert summary.release_date == day("2020-06-01")
    assert summary.charges == ()
    assert summary.detention_date is None


def test_an_acquittal_at_liberty_leaves_the_record_of_persecution() -> None:
    summary = summary_of(
        ChargeBrought(date=day("2019-03-28"), charge=TERRORISM),
        VerdictDelivered(date=day("2020-06-01"), outcome=VerdictOutcome.CASE_CLOSED),
    )
    assert summary.status is Status.PERSECUTED_AT_LIBERTY
    assert summary.charges == ()


def test_a_transfer_sets_the_facility_and_custody_if_none_was_known() -> None:
    summary = summary_of(TransferredToFacility(date=day("2022-05"), facility="SIZO-2"))
    assert summary.status is Status.IN_CUSTODY
    assert summary.facility == "SIZO-2"
    assert summary.detention_date == day("2022-05")
    kept = summary_of(
        detained("2022-04-01"), TransferredToFacility(date=day("2022-05"), facility="SIZO-2")
    )
    assert kept.status is Status.PRE_TRIAL_DETENTION
    assert kept.detention_date == day("2022-04-01")


def test_a_release_clears_facility_and_detention_date() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        TransferredToFacility(date=day("2019-04"), facility="SIZO-1"),
        Released(date=day("2021-09-03"), reason=ReleaseReason.EXCHANGE),
    )
    assert summary.status is Status.RELEASED
    assert summary.status_since == day("2021-09-03")
    assert summary.release_date == day("2021-09-03")
    assert summary.facility is None
    assert summary.detention_date is None


def test_a_release_logged_before_the_detention_still_ends_released() -> None:
    summary = summary_of(
        Released(date=day("2021-09-03")),
        VerdictDelivered(date=day("2020-09-16"), sentence=PRISON_13),
        detained("2019-03-27"),
    )
    assert summary.status is Status.RELEASED
    assert summary.sentence == PRISON_13


def test_facts_on_the_same_day_apply_in_logging_order() -> None:
    summary = summary_of(detained("2019-03-27"), Released(date=day("2019-03-27")))
    assert summary.status is Status.RELEASED
    again = summary_of(Released(date=day("2019-03-27")), detained("2019-03-27"))
    assert again.status is Status.PRE_TRIAL_DETENTION


def test_facts_of_unknown_date_apply_after_dated_ones() -> None:
    summary = summary_of(
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL,
        ),
        Released(date=day("2019-03-27")),
    )
    assert summary.status is Status.PRE_TRIAL_DETENTION


def test_a_disappearance_makes_missing_and_is_an_act() -> None:
    summary = summary_of(Disappeared(date=day("2014-09-27"), last_seen="Simferopol"))
    assert summary.status is Status.MISSING
    assert summary.acts == ("enforced_disappearance",)


def test_whereabouts_in_custody_restore_the_custody_before_the_disappearance() -> None:
    summary = summary_of(
        detained("2022-01-10"),
        Disappeared(date=day("2022-02")),
        WhereaboutsEstablished(date=day("2022-06-01"), in_custody=True, location="SIZO-2"),
    )
    assert summary.status is Status.PRE_TRIAL_DETENTION
    assert summary.facility == "SIZO-2"
    assert summary.detention_date == day("2022-01-10")


def test_whereabouts_in_custody_after_a_disappearance_at_liberty_mean_in_custody() -> None:
    summary = summary_of(
        Disappeared(date=day("2022-02")),
        WhereaboutsEstablished(date=day("2022-06-01"), in_custody=True),
    )
    assert summary.status is Status.IN_CUSTODY
    assert summary.detention_date == day("2022-06-01")


def test_whereabouts_at_liberty_mean_released() -> None:
    summary = summary_of(
        detained("2022-01-10"),
        Disappeared(date=day("2022-02")),
        WhereaboutsEstablished(date=day("2022-06-01"), in_custody=False),
    )
    assert summary.status is Status.RELEASED
    assert summary.detention_date is None


def test_death_is_final_for_the_status() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        TransferredToFacility(date=day("2019-04"), facility="SIZO-1"),
        DeathRecorded(date=day("2023-01-05")),
        Released(date=day("2023-02-01")),
        detained("2023-03-01"),
    )
    assert summary.status is Status.DECEASED
    assert summary.status_since == day("2023-01-05")
    assert summary.death_date == day("2023-01-05")
    assert summary.facility == "SIZO-1"
    assert summary.detention_date == day("2019-03-27")


def test_house_arrest_at_liberty_and_its_lifting() -> None:
    imposed = RestrictionImposed(date=day("2020-02"), kind=RestrictionKind.HOUSE_ARREST)
    summary = summary_of(imposed)
    assert summary.status is Status.HOUSE_ARREST
    assert summary.acts == ("house_arrest",)
    lifted = RestrictionLifted(date=day("2020-08"), kind=RestrictionKind.HOUSE_ARREST)
    assert summary_of(imposed, lifted).status is Status.PERSECUTED_AT_LIBERTY


def test_a_travel_ban_is_a_restriction_that_custody_outranks() -> None:
    ban = RestrictionImposed(date=day("2020-02"), kind=RestrictionKind.TRAVEL_BAN)
    assert summary_of(ban).status is Status.HOUSE_ARREST
    in_custody = summary_of(detained("2020-01-01"), ban)
    assert in_custody.status is Status.PRE_TRIAL_DETENTION
    assert in_custody.acts == ("detention", "travel_ban")


def test_house_arrest_in_place_of_pre_trial_detention_moves_the_person_home() -> None:
    summary = summary_of(
        detained("2020-01-01"),
        TransferredToFacility(date=day("2020-01-05"), facility="SIZO-1"),
        RestrictionImposed(date=day("2020-03-01"), kind=RestrictionKind.HOUSE_ARREST),
    )
    assert summary.status is Status.HOUSE_ARREST
    assert summary.facility is None
    assert summary.detention_date == day("2020-01-01")


def test_lifting_one_of_two_restrictions_keeps_the_other() -> None:
    summary = summary_of(
        RestrictionImposed(date=day("2020-02-01"), kind=RestrictionKind.HOUSE_ARREST),
        RestrictionImposed(date=day("2020-02-01"), kind=RestrictionKind.TRAVEL_BAN),
        RestrictionLifted(date=day("2020-05-01"), kind=RestrictionKind.HOUSE_ARREST),
    )
    assert summary.status is Status.HOUSE_ARREST


def test_a_search_at_liberty_means_persecuted_at_liberty_but_not_under_house_arrest() -> None:
    search = PersecutionRecorded(date=day("2021-06-10"), act="search_raid")
    summary = summary_of(search)
    assert summary.status is Status.PERSECUTED_AT_LIBERTY
    assert summary.acts == ("search_raid",)
    home = summary_of(
        RestrictionImposed(date=day("2021-01"), kind=RestrictionKind.HOUSE_ARREST), search
    )
    assert home.status is Status.HOUSE_ARREST


def test_a_released_person_searched_again_is_persecuted_at_liberty() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        Released(date=day("2021-09-03")),
        PersecutionRecorded(date=day("2022-01-20"), act="search_raid"),
    )
    assert summary.status is Status.PERSECUTED_AT_LIBERTY
    assert summary.status_since == day("2022-01-20")


def test_hearings_and_health_concerns_leave_the_status_and_are_counted() -> None:
    summary = summary_of(
        detained("2019-03-27"),
        HearingHeld(date=day("2019-06-01"), court="Southern District Military Court"),
        HealthConcernReported(date=day("2019-07-01"), concern="denied insulin"),
        HealthConcernReported(date=day("2019-08-01"), concern="hypertension"),
    )
    assert summary.status is Status.PRE_TRIAL_DETENTION
    assert summary.status_since == day("2019-03-27")
    assert summary.health_concerns == 2


def test_custody_after_house_arrest_ends_the_house_arrest() -> None:
    summary = summary_of(
        RestrictionImposed(date=day("2020-02-01"), kind=RestrictionKind.HOUSE_ARREST),
        detained("2020-06-01"),
        RestrictionImposed(date=day("2020-07-01"), kind=RestrictionKind.TRAVEL_BAN),
        Released(date=day("2020-12-01")),
        RestrictionImposed(date=day("2021-01-01"), kind=RestrictionKind.TRAVEL_BAN),
        RestrictionLifted(date=day("2021-03-01"), kind=RestrictionKind.TRAVEL_BAN),
    )
    assert summary.status is Status.PERSECUTED_AT_LIBERTY
    assert summary.detention_date is None
    assert summary.acts == ("house_arrest", "detention", "travel_ban")


def test_charges_named_at_a_detention_or_by_a_conviction_are_the_cases_charges() -> None:
    terrorism = Charge(article="205.5", part="2")
    sabotage = Charge(article="281")
    summary = summary_of(
        DetentionRecorded(date=day("2019-03-27"), charges=(terrorism,)),
        VerdictDelivered(date=day("2020-09-16"), charges=(sabotage,)),
    )
    assert summary.status is Status.SERVING_SENTENCE
    assert {c.slug for c in summary.charges} == {"uk-205-5-ch-2", "uk-281"}


def test_an_undated_detention_of_unknown_stage_is_in_custody_stage_unknown() -> None:
    assert summary_of(DetentionRecorded()).status is Status.IN_CUSTODY
