"""The initial reference lists of the legal app, from DOMAIN.md: stages of a legal case, police
unit levels, the laws and articles a legal case cites, and the filing deadlines. The secretariat's
supervisors and administrators edit them in Lindungi (laws change: criminal procedure moved from
UU 8/1981 to UU 20/2025 on 2 January 2026); loading again only adds what is missing."""

from __future__ import annotations

# order, code, Indonesian label, English label, kind, milestone, reachable until (endings)
STAGES = [
    (10, "report", "Laporan polisi (LP/STPL)", "Police report (LP/STPL)", "progress", "reported", None),
    (20, "inquiry", "Penyelidikan (SP2HP)", "Inquiry (penyelidikan; SP2HP progress letters)", "progress", "", None),
    (30, "investigation", "Penyidikan (SPDP, penetapan tersangka, penahanan)",
     "Investigation (penyidikan; SPDP, suspect named, detention)", "progress", "", None),
    (40, "dossier-returned", "Berkas dikembalikan (P-18/P-19)", "Dossier returned (P-18/P-19)", "progress", "", None),
    (50, "dossier-complete", "Berkas lengkap (P-21)", "Dossier complete (P-21)", "progress", "", None),
    (60, "handover", "Penyerahan tersangka dan barang bukti (Tahap II)",
     "Handover of suspect and evidence (Tahap II)", "progress", "", None),
    (70, "prosecution", "Penuntutan (dakwaan, pelimpahan ke pengadilan)",
     "Prosecution (indictment, transfer to court)", "progress", "", None),
    (80, "trial", "Persidangan", "Trial", "progress", "trial", None),
    (90, "verdict", "Putusan", "Verdict", "progress", "verdict", None),
    (100, "appeal", "Banding", "Appeal (banding)", "progress", "", None),
    (110, "cassation", "Kasasi", "Cassation (kasasi)", "progress", "", None),
    (120, "review", "Peninjauan kembali (PK)", "Case review (PK)", "progress", "", None),
    (130, "final", "Berkekuatan hukum tetap (inkracht)", "Final (inkracht)", "progress", "final", None),
    (140, "execution", "Eksekusi putusan", "Execution of the sentence", "progress", "", None),
    # Endings close the legal case. SP3 stops an inquiry or investigation (while the police hold
    # the dossier); a report is withdrawn before the trial; any case can be closed.
    (200, "sp3", "Penyidikan dihentikan (SP3)", "Investigation stopped (SP3)", "ending", "", 40),
    (210, "withdrawn", "Laporan dicabut", "Report withdrawn", "ending", "", 70),
    (220, "closed", "Ditutup (selesai)", "Closed (final)", "ending", "", None),
]

POLICE_UNIT_LEVELS = [
    ("mabes", "Mabes Polri (Bareskrim)", "National police headquarters (Mabes Polri, Bareskrim)"),
    ("polda", "Polda", "Regional police (Polda)"),
    ("polres", "Polres / Polresta / Polrestabes", "District or city police (Polres, Polresta, Polrestabes)"),
    ("polsek", "Polsek", "Sub-district police (Polsek)"),
]

# code, short name, Indonesian title, English title, articles: (code, article, subject id, subject en)
LAWS = [
    ("uu-35-2014", "UU 35/2014", "UU 35/2014 tentang Perlindungan Anak (perubahan UU 23/2002)",
     "Law 35/2014 on Child Protection (amending Law 23/2002)", [
         ("uu-35-2014-76i-88", "Pasal 76I jo. 88", "Eksploitasi ekonomi dan/atau seksual terhadap anak",
          "Economic and/or sexual exploitation of a child"),
         ("uu-35-2014-76d-81", "Pasal 76D jo. 81", "Persetubuhan dengan anak", "Sexual intercourse with a child"),
         ("uu-35-2014-76e-82", "Pasal 76E jo. 82", "Perbuatan cabul terhadap anak", "Indecent acts against a child"),
         ("uu-35-2014-76f-83", "Pasal 76F jo. 83", "Penjualan dan/atau perdagangan anak",
          "Sale and/or trafficking of children"),
         ("uu-35-2014-71d", "Pasal 71D", "Restitusi bagi anak korban", "Restitution for child victims"),
     ]),
    ("uu-21-2007", "UU 21/2007", "UU 21/2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang (TPPO)",
     "Law 21/2007 on the Eradication of Trafficking in Persons", [
         ("uu-21-2007-2", "Pasal 2", "Perdagangan orang", "Trafficking in persons"),
         ("uu-21-2007-17", "Pasal 17", "Pemberatan bila korban anak", "Aggravation when the victim is a child"),
         ("uu-21-2007-48", "Pasal 48", "Restitusi", "Restitution"),
     ]),
    ("uu-44-2008", "UU 44/2008", "UU 44/2008 tentang Pornografi", "Law 44/2008 on Pornography", [
        ("uu-44-2008-4-1", "Pasal 4 ayat (1)", "Memproduksi dan menyebarluaskan pornografi (termasuk pornografi anak)",
         "Producing and distributing pornography (including child pornography)"),
        ("uu-44-2008-11", "Pasal 11", "Melibatkan anak dalam kegiatan pornografi",
         "Involving children in pornographic activities"),
        ("uu-44-2008-37", "Pasal 37", "Pemberatan bila melibatkan anak", "Aggravation when a child is involved"),
    ]),
    ("uu-11-2008", "UU ITE", "UU 11/2008 tentang Informasi dan Transaksi Elektronik (diubah UU 19/2016 dan UU 1/2024)",
     "Law 11/2008 on Electronic Information and Transactions (amended by Law 19/2016 and Law 1/2024)", [
         ("uu-11-2008-27-1-45", "Pasal 27 ayat (1) jo. 45", "Muatan yang melanggar kesusilaan",
          "Content violating decency"),
     ]),
    ("uu-12-2022", "UU 12/2022", "UU 12/2022 tentang Tindak Pidana Kekerasan Seksual (TPKS)",
     "Law 12/2022 on Sexual Violence Crimes", [
         ("uu-12-2022-4", "Pasal 4", "Bentuk-bentuk tindak pidana kekerasan seksual",
          "Forms of sexual violence crimes"),
         ("uu-12-2022-12", "Pasal 12", "Eksploitasi seksual", "Sexual exploitation"),
         ("uu-12-2022-14", "Pasal 14", "Kekerasan seksual berbasis elektronik", "Electronic-based sexual violence"),
     ]),
]

# code, Indonesian label, English label, days, counted from the decision of, deadline to file
DEADLINE_RULES = [
    ("appeal", "Batas waktu banding", "Appeal deadline", 7, "first_instance", "appeal"),
    ("cassation", "Batas waktu kasasi", "Cassation deadline", 14, "appeal", "cassation"),
]


def load_reference(get_model) -> None:
    """`get_model(name)` returns the model class (the real one, or a migration's historical one)."""
    Stage = get_model("Stage")
    for order, code, label_id, label_en, kind, milestone, until in STAGES:
        Stage.objects.get_or_create(code=code, defaults={
            "order": order, "label_id": label_id, "label_en": label_en, "kind": kind, "milestone": milestone,
            "reachable_until": until})
    PoliceUnitLevel = get_model("PoliceUnitLevel")
    for index, (code, label_id, label_en) in enumerate(POLICE_UNIT_LEVELS, start=1):
        PoliceUnitLevel.objects.get_or_create(code=code, defaults={"label_id": label_id, "label_en": label_en,
                                                                   "order": index * 10})
    Law, LawArticle = get_model("Law"), get_model("LawArticle")
    for index, (code, short, label_id, label_en, articles) in enumerate(LAWS, start=1):
        law, _created = Law.objects.get_or_create(code=code, defaults={
            "short_name": short, "label_id": label_id, "label_en": label_en, "order": index * 10})
        for position, (article_code, article, subject_id, subject_en) in enumerate(articles, start=1):
            LawArticle.objects.get_or_create(code=article_code, defaults={
                "law": law, "article": article, "label_id": subject_id, "label_en": subject_en,
                "order": position * 10})
    DeadlineRule = get_model("DeadlineRule")
    for index, (code, label_id, label_en, days, after, files) in enumerate(DEADLINE_RULES, start=1):
        DeadlineRule.objects.get_or_create(code=code, defaults={
            "label_id": label_id, "label_en": label_en, "days": days, "after_level": after, "files_level": files,
            "order": index * 10})
