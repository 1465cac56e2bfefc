"""The surveys app's part of a person's export of their own data (in the ``programs``
section): the surveys they were asked to answer, and their answers to named ones. An
anonymous answer is nobody's on record, so it cannot be given back."""

from __future__ import annotations

from typing import Any

from medmentor.accounts.models import User
from medmentor.surveys.models import Invitation, Response


def surveys_export(user: User) -> dict[str, Any]:
    responses = Response.objects.filter(respondent=user).select_related("survey__program")
    return {
        "surveys_asked": [
            {
                "program": invitation.survey.program.name,
                "survey": invitation.survey.title_en,
                "invited_at": invitation.invited_at,
                "answered": invitation.answered,
            }
            for invitation in Invitation.objects.filter(user=user).select_related("survey__program")
        ],
        "survey_answers": [
            {
                "program": response.survey.program.name,
                "survey": response.survey.title_en,
                "answered_on": response.submitted_on,
                "answers": [
                    {
                        "question": answer.question.text_en,
                        "number": answer.number,
                        "choices": answer.codes,
                        "text": answer.text,
                    }
                    for answer in response.answers.select_related("question")
                ],
            }
            for response in responses
        ],
    }
