from django.urls import path

from medmentor.surveys import views

app_name = "surveys"

M = "programs/<uuid:program_uuid>/manage/surveys/"
S = M + "<uuid:survey_uuid>/"
Q = S + "questions/<uuid:survey_question_uuid>/"

urlpatterns = [
    path(M, views.survey_list, name="surveys"),
    path(M + "new/", views.survey_new, name="survey_new"),
    path(S, views.survey_detail, name="survey"),
    path(S + "questions/", views.question_add, name="question_add"),
    path(Q, views.question_edit, name="question_edit"),
    path(Q + "delete/", views.question_remove, name="question_delete"),
    path(Q + "move/", views.question_reorder, name="question_move"),
    path(S + "send/", views.survey_send_page, name="send"),
    path(S + "results/", views.survey_results_page, name="results"),
    path(S + "results.csv", views.survey_results_csv, name="results_csv"),
    # The participant's page: their own invitation.
    path("surveys/<uuid:invitation_uuid>/", views.survey_answer_page, name="answer"),
]
