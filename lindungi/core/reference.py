"""Reference lists that every install needs are seeded by data migrations. A `flush` (the test
runner's, after each transactional test) empties every table and then sends post_migrate; this
puts the lists back then, as the contenttypes app does for its own rows."""

from django.db.models.signals import post_migrate


def reseed_after_flush(app_config, marker_model_name, load):
    """On post_migrate for `app_config`: when the table of `marker_model_name` exists and is
    empty, call `load(using)`. A no-op when the list is there or the migrations have not run."""

    def ensure(sender, using="default", **kwargs):
        from django.db import connections

        model = app_config.get_model(marker_model_name)
        if model._meta.db_table not in connections[using].introspection.table_names():
            return
        if not model.objects.using(using).exists():
            load(using)

    post_migrate.connect(ensure, sender=app_config, weak=False,
                         dispatch_uid=f"{app_config.label}.reseed_after_flush")
