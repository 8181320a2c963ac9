from types import SimpleNamespace

import pytest

from lindungi.accounts.testing import make_organisation


@pytest.fixture
def orgs(db):
    return SimpleNamespace(a=make_organisation("CRA", "Crypto Org A (test)"), b=make_organisation("CRB", "Crypto Org B (test)"))


@pytest.fixture
def person_factory(orgs):
    from lindungi.crypto.tests.testapp.models import Person

    def make(org=None, **values):
        values.setdefault("full_name", "Melati Contoh Fiktif")
        person = Person(organisation=org or orgs.a, **values)
        person.save()
        return person

    return make
