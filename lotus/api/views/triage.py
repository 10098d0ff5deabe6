"""Triage endpoints under /api/v1/: the same selectors and services as the pages, so the
access policy, the audit trail and the server-computed score apply unchanged. A client
sends levels; the score, band and colour are always worked out by LOTUS."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from lotus.api.exceptions import Conflict
from lotus.api.serializers import PersonSerializer, PlainMessagesMixin, id_field
from lotus.api.views.v1 import ERRORS, READ_ERRORS, LotusApiView, _body, _query, _service_errors
from lotus.insights.agreement import agreement_report
from lotus.triage import just_culture, selectors, services
from lotus.triage.models import Recommendation, TriageReview
from lotus.triage.risk import DOMAINS, FACTOR_JUDGEMENTS, LIKELIHOOD_FACTORS

YES_NO_CHOICES = ["", "yes", "no"]
CONFLICT = {409: OpenApiResponse(description="The review changed since you read it: read it again and retry")}
STALE = {"version": ["Someone else saved this review after you read it. Read it again, then retry"]}

# ---------------------------------------------------------------- serializers


class ReviewVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = PersonSerializer()


class TriageReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField(help_text="Send this back with any change")
    reviewer = PersonSerializer()
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    consequences = serializers.SerializerMethodField(help_text="Level per domain: 1–5, 0 not relevant, null not answered")
    likelihood = serializers.IntegerField(allow_null=True)
    likelihood_factors = serializers.DictField()
    consequence = serializers.IntegerField(allow_null=True, help_text="Computed: the highest domain level")
    score = serializers.IntegerField(allow_null=True, help_text="Computed: consequence × likelihood")
    band = serializers.CharField(help_text="Computed from the organisation's bands")
    colour = serializers.CharField(help_text="Computed: green, amber or red")
    summary_of_concerns = serializers.CharField()
    documents_reviewed = serializers.SerializerMethodField()
    other_documents = serializers.CharField()
    safeguarding_concern = serializers.CharField()
    safeguarding_details = serializers.CharField()
    health_concern = serializers.CharField()
    health_details = serializers.SerializerMethodField(help_text="Null when you may not read health details")
    rationale = serializers.CharField()
    recommendation = serializers.CharField()
    additional_recommendations = serializers.CharField()
    just_culture = serializers.DictField()
    shared_at = serializers.DateTimeField(allow_null=True)
    withheld = serializers.ListField(child=serializers.CharField())
    withheld_reason = serializers.CharField()
    not_shared_at = serializers.DateTimeField(allow_null=True, help_text="When not sharing the review was recorded")
    not_shared_reason = serializers.CharField(help_text="The reason the practitioner is told")
    second_review_reason = serializers.CharField()
    second_review_override_at = serializers.DateTimeField(allow_null=True)
    second_review_override_reason = serializers.CharField()
    versions = serializers.SerializerMethodField()

    def get_consequences(self, review) -> dict[str, int | None]:
        return review.consequence_levels()

    def get_documents_reviewed(self, review) -> list[int]:
        return sorted(d.pk for d in review.documents_reviewed.all())

    def get_health_details(self, review) -> str | None:
        return self.context.get("health_details")

    def get_versions(self, review) -> list[dict]:
        return ReviewVersionSerializer(selectors.versions_of(review), many=True).data


class StartSerializer(PlainMessagesMixin, serializers.Serializer):
    has_conflict = serializers.BooleanField(label="conflict of interest answer")
    conflict_details = serializers.CharField(label="conflict details", required=False, allow_blank=True, max_length=4000)


class FactorSerializer(serializers.Serializer):
    judgement = serializers.ChoiceField(choices=list(FACTOR_JUDGEMENTS))
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RiskSerializer(PlainMessagesMixin, serializers.Serializer):
    consequences = serializers.DictField(
        label="consequences", child=serializers.IntegerField(min_value=0, max_value=5, allow_null=True),
        help_text="Each of " + ", ".join(DOMAINS) + ": 1–5, or 0 for not relevant",
    )
    likelihood = serializers.IntegerField(label="likelihood", allow_null=True)
    factors = serializers.DictField(label="factors", child=FactorSerializer(), help_text="Each of " + ", ".join(LIKELIHOOD_FACTORS))
    change_reason = serializers.CharField(label="change reason", required=False, allow_blank=True, max_length=4000)


class DetailsSerializer(PlainMessagesMixin, serializers.Serializer):
    summary_of_concerns = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    documents_reviewed = serializers.ListField(child=id_field("document"), required=False, default=list)
    other_documents = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    safeguarding_concern = serializers.ChoiceField(choices=YES_NO_CHOICES, required=False, default="")
    safeguarding_details = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    health_concern = serializers.ChoiceField(choices=YES_NO_CHOICES, required=False, default="")
    health_details = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    recommendation = serializers.ChoiceField(choices=["", *Recommendation.values], required=False, default="")
    additional_recommendations = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    just_culture = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000), required=False, default=dict,
        help_text="Answers (yes, no, not_sure) to " + ", ".join(just_culture.QUESTION_KEYS) + ", and notes",
    )
    amend_reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class UpdateSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(label="version", min_value=1)
    risk = RiskSerializer(required=False)
    details = DetailsSerializer(required=False)


class VersionSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(label="version", min_value=1)


class ShareSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(label="version", min_value=1)
    withheld = serializers.ListField(child=serializers.ChoiceField(choices=list(services.WITHHOLDABLE)), required=False, default=list)
    withheld_reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class NotShareSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(label="version", min_value=1)
    reason = serializers.CharField(label="reason", max_length=2000)


class SecondReviewRequestSerializer(PlainMessagesMixin, serializers.Serializer):
    reviewer = id_field("reviewer")


class AgreedScoreSerializer(PlainMessagesMixin, serializers.Serializer):
    consequence = serializers.IntegerField(label="consequence", min_value=1, max_value=5)
    likelihood = serializers.IntegerField(label="likelihood", min_value=1, max_value=5)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class AgreedScoreOutSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    consequence = serializers.IntegerField()
    likelihood = serializers.IntegerField()
    score = serializers.IntegerField()
    band = serializers.CharField()
    colour = serializers.CharField()
    notes = serializers.CharField()
    agreed_by = PersonSerializer()
    agreed_at = serializers.DateTimeField()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class FigureSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    label = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    title = serializers.CharField()
    pairs = serializers.IntegerField()
    enough = serializers.BooleanField(help_text="False below 10 pairs: no figures are given")
    colour_agreement = serializers.FloatField(allow_null=True)
    kappas = FigureSerializer(many=True)


class AgreementSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    overall = FiguresSerializer()
    by_pair = FiguresSerializer(many=True)
    calibration_cases = serializers.ListField(child=serializers.IntegerField())


# ---------------------------------------------------------------- helpers


def _review_response(request, review, code=status.HTTP_200_OK) -> Response:
    health = selectors.health_details_for(request.user, review, request=request)
    data = TriageReviewSerializer(review, context={"health_details": health}).data
    return Response(data, status=code)


def _writable(request, case_id):
    case = selectors.case_for_user(request.user, case_id, request=request)
    if not (
        request.user.has_perm("triage.write_review", case) or request.user.has_perm("triage.write_second_review", case)
    ):
        raise selectors.deny(request.user, request, "case", case_id)
    return case


# ---------------------------------------------------------------- endpoints


class TriageReviewEndpoint(LotusApiView):
    @extend_schema(operation_id="show_triage_review", summary="A case's triage review (the first review)",
                   responses={200: TriageReviewSerializer, **READ_ERRORS}, tags=["triage"])
    def get(self, request, case_id: int):
        case = selectors.triage_case(request.user, case_id, request=request)
        review = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
        if review is None:
            raise NotFound
        selectors.review_viewed(request.user, review, request=request)
        return _review_response(request, review)

    @extend_schema(
        operation_id="start_triage_review", summary="Declare conflicts of interest and start the review",
        description="With `has_conflict` true, the conflict is recorded, the case owner is asked to reassign, "
        "and you lose access to the case (answer 200 with no review). Otherwise the draft review is created (201). "
        "A second reviewer makes the same declaration here before scoring (200 with their review).",
        request=StartSerializer, responses={201: TriageReviewSerializer, 200: OpenApiResponse(description="Conflict recorded"), **ERRORS},
        tags=["triage"],
    )
    def post(self, request, case_id: int):
        case = selectors.case_for_user(request.user, case_id, request=request)
        if request.user.has_perm("triage.write_second_review", case):
            data = _body(request, StartSerializer)
            review = selectors.own_review(request.user, case, request=request)
            try:
                review = services.second_review_declare(actor=request.user, review=review, request=request, **data)
            except ValidationError as error:
                return _service_errors(error)
            if review is None:
                return Response({"detail": "Conflict of interest recorded. You no longer have access to this case."})
            return _review_response(request, review)
        case = selectors.triage_case(request.user, case_id, request=request, perm="triage.write_review")
        data = _body(request, StartSerializer)
        try:
            review = services.review_start(actor=request.user, case=case, request=request, **data)
        except ValidationError as error:
            return _service_errors(error)
        if review is None:
            return Response({"detail": "Conflict of interest recorded. You no longer have access to this case."})
        return _review_response(request, review, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="update_triage_review", summary="Save your review: risk levels and/or the written parts",
        description="Send the `version` you read; if the review changed since, nothing is saved (409). "
        "On a submitted review this is an amendment: `details.amend_reason` (or `risk.change_reason`) is required. "
        "Score, band and colour in the body are ignored: LOTUS computes them.",
        request=UpdateSerializer, responses={200: TriageReviewSerializer, **ERRORS, **CONFLICT}, tags=["triage"],
    )
    def patch(self, request, case_id: int):
        case = _writable(request, case_id)
        review = selectors.own_review(request.user, case, request=request)
        data = _body(request, UpdateSerializer)
        version = data["version"]
        try:
            if "risk" in data:
                risk = data["risk"]
                review = services.review_save_risk(
                    actor=request.user, review=review, consequences=risk["consequences"], likelihood=risk["likelihood"],
                    factors=risk["factors"], expected_version=version, change_reason=risk.get("change_reason", ""),
                    request=request,
                )
                version = review.version
            if "details" in data:
                if review.kind != TriageReview.Kind.FIRST:
                    return Response({"errors": {"details": ["A second review has scores only"]}}, status=400)
                details = dict(data["details"])
                wanted = set(details.pop("documents_reviewed"))
                documents = [d for d in selectors.case_documents(request.user, case) if d.pk in wanted]
                if len(documents) != len(wanted):
                    return Response({"errors": {"documents_reviewed": ["Choose documents of this case"]}}, status=400)
                review = services.review_save_details(
                    actor=request.user, review=review, data=details, documents=documents,
                    health_details=details.pop("health_details"), expected_version=version,
                    amend_reason=details.pop("amend_reason"), request=request,
                )
        except services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return _review_response(request, review)


class TriageSubmit(LotusApiView):
    @extend_schema(operation_id="submit_triage_review", summary="Submit your review (locks it)",
                   description="A first review moves the case from triage to awaiting panel.",
                   request=VersionSerializer, responses={200: TriageReviewSerializer, **ERRORS, **CONFLICT}, tags=["triage"])
    def post(self, request, case_id: int):
        case = _writable(request, case_id)
        review = selectors.own_review(request.user, case, request=request)
        data = _body(request, VersionSerializer)
        try:
            review = services.review_submit(actor=request.user, review=review, expected_version=data["version"], request=request)
        except services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return _review_response(request, review)


class TriageShare(LotusApiView):
    @extend_schema(operation_id="share_triage_review", summary="Share the submitted review with the practitioner",
                   request=ShareSerializer, responses={200: TriageReviewSerializer, **ERRORS, **CONFLICT}, tags=["triage"])
    def post(self, request, case_id: int):
        case = selectors.triage_case(request.user, case_id, request=request, perm="triage.share_review")
        review = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
        if review is None:
            raise NotFound
        data = _body(request, ShareSerializer)
        try:
            review = services.review_share(
                actor=request.user, review=review, withheld=data["withheld"], withheld_reason=data["withheld_reason"],
                expected_version=data["version"], request=request,
            )
        except services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return _review_response(request, review)


class TriageNotShare(LotusApiView):
    @extend_schema(operation_id="not_share_triage_review",
                   summary="Record that the submitted review is not shared with the practitioner, and why",
                   description="The practitioner is told the reason in their portal. The case can then go to the panel.",
                   request=NotShareSerializer, responses={200: TriageReviewSerializer, **ERRORS, **CONFLICT},
                   tags=["triage"])
    def post(self, request, case_id: int):
        case = selectors.triage_case(request.user, case_id, request=request, perm="triage.share_review")
        review = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
        if review is None:
            raise NotFound
        data = _body(request, NotShareSerializer)
        try:
            review = services.review_not_share(
                actor=request.user, review=review, reason=data["reason"], expected_version=data["version"],
                request=request,
            )
        except services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return _review_response(request, review)


class TriageSecondReview(LotusApiView):
    @extend_schema(operation_id="show_second_review", summary="The independent second review",
                   description="Its reviewer sees it while writing it; others once both reviews are submitted.",
                   responses={200: TriageReviewSerializer, **READ_ERRORS}, tags=["triage"])
    def get(self, request, case_id: int):
        case = selectors.case_for_user(request.user, case_id, request=request)
        reviews = selectors.reviews_of(case)
        second, first = reviews.get(TriageReview.Kind.SECOND), reviews.get(TriageReview.Kind.FIRST)
        own = second is not None and second.reviewer_id == request.user.pk
        both = second is not None and first is not None and second.is_submitted and first.is_submitted
        if second is None or not (own or (both and request.user.has_perm("triage.view_review", case))):
            raise selectors.deny(request.user, request, "triage_review", case_id)
        selectors.review_viewed(request.user, second, request=request)
        return _review_response(request, second)

    @extend_schema(operation_id="request_second_review", summary="Ask a second advisor for an independent review",
                   request=SecondReviewRequestSerializer, responses={201: TriageReviewSerializer, **ERRORS}, tags=["triage"])
    def post(self, request, case_id: int):
        case = selectors.triage_case(request.user, case_id, request=request, perm="triage.request_second_review")
        data = _body(request, SecondReviewRequestSerializer)
        reviews = selectors.reviews_of(case)
        reviewer = next(
            (u for u in selectors.second_review_candidates(case, reviews.get("first")) if u.pk == data["reviewer"]), None
        )
        try:
            review = services.second_review_request(actor=request.user, case=case, reviewer=reviewer, request=request)
        except ValidationError as error:
            return _service_errors(error)
        return _review_response(request, review, status.HTTP_201_CREATED)


class TriageAgreedScore(LotusApiView):
    @extend_schema(operation_id="record_agreed_score", summary="Record the score agreed after a second review",
                   request=AgreedScoreSerializer, responses={201: AgreedScoreOutSerializer, **ERRORS}, tags=["triage"])
    def post(self, request, case_id: int):
        case = selectors.triage_case(request.user, case_id, request=request, perm="triage.agree_score")
        data = _body(request, AgreedScoreSerializer)
        try:
            agreed = services.agreed_score_record(actor=request.user, case=case, request=request, **data)
        except ValidationError as error:
            return _service_errors(error)
        return Response(AgreedScoreOutSerializer(agreed).data, status=status.HTTP_201_CREATED)


class TriageAgreement(LotusApiView):
    @extend_schema(operation_id="triage_agreement", summary="Agreement between first and second reviews",
                   description="Figures are given only for 10 pairs or more. Default period: the last 365 days.",
                   parameters=[PeriodSerializer], responses={200: AgreementSerializer, **ERRORS}, tags=["triage"])
    def get(self, request):
        if not request.user.has_perm("insights.view_triage_agreement"):
            raise NotFound
        query = _query(request, PeriodSerializer)
        today = timezone.localdate()
        start = query.get("start", today - dt.timedelta(days=365))
        end = query.get("end", today)
        pairs = selectors.review_pairs(request.user, start=start, end=end)
        selectors.agreement_viewed(request.user, request=request, start=start, end=end)
        report = agreement_report(pairs, gap=selectors.settings_for(request.user.organisation_id).calibration_gap)

        def figures(f):
            return {
                "title": f.title, "pairs": f.pairs, "enough": f.enough, "colour_agreement": f.colour_agreement,
                "kappas": [{"name": k.name, "value": None if k.value != k.value else k.value, "label": k.label} for k in f.kappas],
            }

        return Response(AgreementSerializer({
            "start": start, "end": end, "overall": figures(report.overall),
            "by_pair": [figures(f) for f in report.by_pair],
            "calibration_cases": [p.case_id for p in report.disagreements],
        }).data)
