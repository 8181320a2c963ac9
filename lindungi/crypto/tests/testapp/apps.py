from django.apps import AppConfig


class CryptoTestAppConfig(AppConfig):
    """Models that exist only in the test settings, to exercise the encrypted fields for real."""

    name = "lindungi.crypto.tests.testapp"
    label = "crypto_testapp"
    default_auto_field = "django.db.models.BigAutoField"
