"""The initial reference lists of the incidents app. The secretariat's supervisors and administrators
edit them later in Lindungi; loading again only adds what is missing (nothing is overwritten)."""

from __future__ import annotations

# code, Indonesian label, English label
PLATFORMS = [
    ("facebook", "Facebook", "Facebook"),
    ("instagram", "Instagram", "Instagram"),
    ("whatsapp", "WhatsApp", "WhatsApp"),
    ("telegram", "Telegram", "Telegram"),
    ("michat", "MiChat", "MiChat"),
    ("tiktok", "TikTok", "TikTok"),
    ("x", "X (Twitter)", "X (Twitter)"),
    ("online-games", "Gim daring", "Online games"),
    ("other", "Lainnya", "Other"),
]


def load_reference(get_model) -> None:
    """`get_model(name)` returns the model class (the real one, or a migration's historical one)."""
    Platform = get_model("Platform")
    for order, (code, label_id, label_en) in enumerate(PLATFORMS, start=1):
        Platform.objects.get_or_create(code=code, defaults={"label_id": label_id, "label_en": label_en,
                                                            "order": order * 10})
