"""Home-page sections: the costly statistics section is loaded lazily (htmx, or a link without
JavaScript), so the home page shows the tasks without computing statistics."""

import re

import pytest
from django.urls import reverse

from lindungi.core import home


def _section_url():
    return reverse("core:home_section", args=["statistics"])


def _fail(request):
    raise AssertionError("the home page must not compute the statistics section")


@pytest.mark.django_db
def test_the_home_page_has_a_placeholder_for_the_statistics_and_does_not_compute_them(client_for, personas, monkeypatch):
    monkeypatch.setattr("lindungi.reports.home.home_section", _fail)
    html = client_for(personas.supervisor_a).get(reverse("core:home")).content.decode()
    placeholder = re.search(r'<section[^>]*id="home-lazy-statistics"[^>]*>.*?</section>', html, re.S)
    assert placeholder, "the placeholder is on the page"
    url = _section_url()
    assert f'hx-get="{url}"' in placeholder.group(0) and 'hx-trigger="load"' in placeholder.group(0)
    assert f'<a href="{url}">' in placeholder.group(0), "without JavaScript the placeholder is a link"
    assert 'id="home-statistics"' not in html


@pytest.mark.django_db
def test_htmx_gets_the_section_alone_and_a_link_gets_it_on_a_page(client_for, personas):
    client = client_for(personas.supervisor_a)
    fragment = client.get(_section_url(), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert 'id="home-statistics"' in body and "<html" not in body
    assert "HX-Request" in fragment["Vary"]
    page = client.get(_section_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="home-statistics"' in body and "<html" in body and f'href="{reverse("core:home")}"' in body
    assert "HX-Request" in page["Vary"]


@pytest.mark.django_db
def test_a_section_with_nothing_to_show_disappears_and_an_unknown_one_is_404(client_for, personas, monkeypatch):
    client = client_for(personas.caseworker_a)
    assert client.get(reverse("core:home_section", args=["nothing"])).status_code == 404
    assert client.get(reverse("core:home_section", args=["nothing"]), HTTP_HX_REQUEST="true").content == b""
    monkeypatch.setattr("lindungi.reports.home.home_section", lambda request: None)
    empty = client.get(_section_url(), HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and empty.content == b""
    assert client.get(_section_url()).status_code == 404


@pytest.mark.django_db
def test_no_placeholder_for_a_user_without_statistics(client_for, personas, monkeypatch):
    monkeypatch.setitem(home.LAZY_SECTIONS, "lindungi.reports.home.home_section",
                        home.LazySection("statistics", "Statistics", "accounts.organisation.manage"))
    html = client_for(personas.caseworker_a).get(reverse("core:home")).content.decode()
    assert 'id="home-lazy-statistics"' not in html
