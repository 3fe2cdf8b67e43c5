from django.urls import path

from casework.views import case, named, queue, references, responder, supported

app_name = "casework"
urlpatterns = [
    # The authority's queue and assignment
    path("queue/", queue.queue, name="queue"),
    path("queue/next", queue.claim_next, name="claim_next"),
    path("team/", queue.team, name="team"),
    path("team/assign", queue.bulk_assign, name="bulk_assign"),
    # One case, for the authority's staff
    path("cases/<reference:reference>/", case.case_detail, name="case"),
    path("cases/<reference:reference>/assign", case.assign, name="assign"),
    path("cases/<reference:reference>/release", case.release, name="release"),
    path("cases/<reference:reference>/notes", case.add_note, name="add_note"),
    path("cases/<reference:reference>/referral.pdf", case.referral_pdf, name="referral_pdf"),
    path("cases/<reference:reference>/reasonable-grounds", case.rg_decision, name="rg_decision"),
    path("cases/<reference:reference>/conclusive-grounds", case.cg_decision, name="cg_decision"),
    path(
        "cases/<reference:reference>/decisions/<int:decision_id>/review", case.review_decision, name="review_decision"
    ),
    path("cases/<reference:reference>/panel-recommendation", case.respond_to_panel, name="respond_to_panel"),
    path("cases/<reference:reference>/information-requests/new", case.request_information, name="request_information"),
    path(
        "cases/<reference:reference>/information-requests/<int:request_id>/withdraw",
        case.withdraw_information_request,
        name="withdraw_information_request",
    ),
    path("cases/<reference:reference>/reconsideration", case.request_reconsideration, name="request_reconsideration"),
    path(
        "cases/<reference:reference>/reconsiderations/<int:reconsideration_id>",
        case.decide_reconsideration,
        name="decide_reconsideration",
    ),
    path("cases/<reference:reference>/suspend", case.suspend, name="suspend"),
    path("cases/<reference:reference>/resume", case.resume, name="resume"),
    path("cases/<reference:reference>/withdraw", case.withdraw, name="withdraw"),
    path("cases/<reference:reference>/transfer", case.transfer, name="transfer"),
    path("cases/<reference:reference>/duplicate", case.mark_duplicate, name="mark_duplicate"),
    path("cases/<reference:reference>/disqualify", case.disqualify, name="disqualify"),
    # Files and letters, for everyone who may see them (checked per object)
    path("letters/<int:letter_id>.pdf", responder.letter_download, name="letter"),
    path("files/<int:file_id>", responder.file_download, name="file"),
    # A case or referral reference from a notification, opened on the page the user's role has
    path("open/<reference:reference>", references.open_reference, name="open"),
    # The referring organisation's side of a case
    path(
        "referrals/<reference:reference>/information-requests/<int:request_id>",
        responder.answer_information_request,
        name="answer_information_request",
    ),
    path(
        "referrals/<reference:reference>/reconsideration",
        responder.request_reconsideration,
        name="responder_reconsideration",
    ),
    # A case the referral names the user's organisation in (police force, a child's local authority)
    path("named-cases/<reference:reference>/", named.named_case, name="named_case"),
    # The support provider's people
    path("supported-people/", supported.supported, name="supported"),
    path("supported-people/<reference:reference>/", supported.supported_case, name="supported_case"),
    path("supported-people/<reference:reference>/support-started", supported.support_start, name="supported_start"),
    path("supported-people/<reference:reference>/needs-assessment", supported.support_rna, name="supported_rna"),
    path("supported-people/<reference:reference>/extend-support", supported.support_extend, name="supported_extend"),
    path("supported-people/<reference:reference>/missing", supported.support_missing, name="supported_missing"),
    path("supported-people/<reference:reference>/support-ended", supported.support_end, name="supported_end"),
    path(
        "supported-people/<reference:reference>/reconsideration",
        supported.request_reconsideration,
        name="supported_reconsideration",
    ),
]
