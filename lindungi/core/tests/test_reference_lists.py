"""The secretariat reaches the network-wide reference lists from the main navigation: one page
with the lists of each part of Lindungi it may manage; member organisations see neither."""

import re

import pytest
from django.urls import reverse

from lindungi.accounts.testing import make_user
from lindungi.audit.models import AuditEvent
from lindungi.core.policy import Role

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    return re.findall(r'<li class="card"><a href="([^"]+)"', html)


def _nav(client) -> str:
    return client.get(reverse("core:home")).content.decode()


def test_the_secretariat_administrator_finds_every_list_and_each_one_opens(personas, client_for):
    client = client_for(personas.secretariat_admin)
    assert reverse("core:reference_lists") in _nav(client)
    response = client.get(reverse("core:reference_lists"))
    assert response.status_code == 200
    links = _links(response.content.decode())
    assert reverse("incidents:reference", args=["platforms"]) in links
    assert reverse("legal:reference", args=["laws"]) in links
    assert reverse("programs:reference_list", args=["activity-types"]) in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_each_secretariat_role_sees_only_the_lists_it_manages(personas, client_for):
    me_officer = client_for(personas.secretariat_me).get(reverse("core:reference_lists")).content.decode()
    assert all(url.startswith("/programs/") for url in _links(me_officer)) and _links(me_officer)
    supervisor = make_user(personas.org_s, "supervisor-s@test.invalid", [Role.SUPERVISOR])
    links = _links(client_for(supervisor).get(reverse("core:reference_lists")).content.decode())
    assert links and not any(url.startswith("/programs/") for url in links)


@pytest.mark.parametrize("persona", ["admin_a", "supervisor_a", "me_a", "admin_b"])
def test_member_organisations_neither_see_nor_open_the_page(personas, client_for, persona):
    user = getattr(personas, persona)
    client = client_for(user)
    assert reverse("core:reference_lists") not in _nav(client)
    before = AuditEvent.objects.filter(action="security.access.denied", actor=user).count()
    assert client.get(reverse("core:reference_lists")).status_code == 403
    assert AuditEvent.objects.filter(action="security.access.denied", actor=user).count() == before + 1


def test_the_page_is_in_indonesian_and_in_english(personas, client_for):
    client = client_for(personas.secretariat_admin)
    assert "Daftar referensi" in client.get(reverse("core:reference_lists"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    english = client_for(personas.secretariat_admin).get(reverse("core:reference_lists"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Reference lists" in english.content.decode()
