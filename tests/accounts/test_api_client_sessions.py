"""A partner API client's service user never uses a page, even with a session it could not have signed in for."""

from django.urls import reverse


def test_a_session_of_an_api_client_opens_no_page_and_the_pages_answer_as_to_anyone_signed_out(client, partner_api):
    partner = partner_api()
    client.force_login(partner.user)

    home = client.get("/")
    drafts = client.get(reverse("referrals:list"))

    assert home.status_code == 200
    assert b"Sign in" in home.content
    assert drafts.status_code == 302
    assert reverse("account_login") in drafts["Location"]
