"""A page with a region picker, for the browser tests (the picker has no page of its own)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from lindungi.geo.forms import RegionField, RegionPickerMixin
from lindungi.urls import urlpatterns as lindungi_urlpatterns

PAGE = engines["django"].from_string("""{% extends "core/base.html" %}
{% block content %}
<form method="post" novalidate>{% csrf_token %}
  {% include "geo/region_picker.html" with form=form %}
  <button type="submit" name="save" value="1">Save</button>
</form>
{% if chosen %}<p id="chosen">{{ chosen.code }}</p>{% endif %}
{% endblock %}""")


class PlaceForm(RegionPickerMixin, forms.Form):
    province = RegionField("province", required=True)
    regency = RegionField("regency", required=True)
    district = RegionField("district", required=True)


@login_required
def picker(request):
    form = PlaceForm(request.POST or None, prefix="place")
    chosen = form.region if request.method == "POST" and form.is_valid() else None
    return HttpResponse(PAGE.render({"form": form, "chosen": chosen}, request))


urlpatterns = [path("picker-test/", picker, name="picker-test"), *lindungi_urlpatterns]
