"""Audit details as a service wrote them. Every event appended during a request or task
also records that request's id (lotus.core.request_id, ADR 0022); tests that compare a
service's details exactly leave it out with this."""


def without_request_id(details: dict) -> dict:
    return {key: value for key, value in details.items() if key != "request_id"}
