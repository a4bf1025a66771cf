"""The shop's one error type: every refusal is an HTTP status, a code and a sentence."""

from __future__ import annotations

from flask import Response, jsonify


class ApiError(Exception):
    """An answer other than success: HTTP status, machine-readable code, human message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> Response:
        """The JSON error body (`{"error": code, "message": text}`) with its status."""
        answer = jsonify(error=self.code, message=self.message)
        answer.status_code = self.status
        return answer
