"""Demo programs: the network's 2012 programs, activities and events (as its 2012 annual report
describes them, with member organisations replaced by the demo ones and amounts invented), and a
current year of fictional activity. Every participant, registrant and speaker name is fictional."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from lindungi.geo.models import Region
from lindungi.programs import services
from lindungi.programs.models import (
    ActivityOutput,
    ActivityType,
    AgeGroup,
    Country,
    Currency,
    EventSession,
    Indicator,
    Partner,
    Program,
    Sex,
    Speaker,
    StakeholderGroup,
)

D = datetime.date
DONORS = [
    # name, kind, country
    ("Uni Eropa (European Union)", "multilateral", "BE"),
    ("Kementerian Pendidikan dan Kebudayaan", "government", "ID"),
    ("Mensen met een Missie (MM Netherlands)", "foreign_ngo", "NL"),
    ("Kedutaan Besar Prancis", "government", "FR"),
    ("Terre des Hommes Netherlands", "foreign_ngo", "NL"),
    ("ChildFund", "foreign_ngo", "US"),
    ("ECPAT International", "network", "TH"),
    ("The Body Shop", "company", "GB"),
    ("Kindernothilfe", "foreign_ngo", "DE"),
    ("Yayasan Pelangi Nusantara (demo)", "company", "ID"),
]
FIRST_NAMES = ["Ani", "Budi", "Citra", "Dedi", "Eka", "Fitri", "Galih", "Hana", "Indra", "Jihan", "Kiki", "Lina",
               "Maman", "Nur", "Oki", "Putu", "Rudi", "Siti", "Tegar", "Wulan", "Yoga", "Zahra"]


class Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng
        self.types = {t.code: t for t in ActivityType.objects.all()}
        self.groups = {g.code: g for g in StakeholderGroup.objects.all()}
        self.ages = {a.code: a for a in AgeGroup.objects.all()}
        self.countries = {c.code: c for c in Country.objects.all()}
        self.currencies = {c.code: c for c in Currency.objects.all()}
        self.sek_po = ctx.user("SEK", "program_officer")
        self.sek_me = ctx.user("SEK", "me_officer")
        self.ykb_po = ctx.user("YKB", "program_officer")
        self.ykb_me = ctx.user("YKB", "me_officer")
        self.donors = {}
        for name, kind, country in DONORS:
            self.donors[name] = services.donor_save(actor=self.sek_po, data={
                "name": name, "kind": kind, "country": self.countries[country]})
        self.partners = {}
        for code, org in ctx.organisations.items():
            if not org.is_secretariat:
                self.partners[code] = services.partner_save(actor=self.sek_po, data={
                    "name": org.name, "organisation": org, "stakeholder_group": self.groups["ngo"],
                    "country": self.countries["ID"]})
        externals = [
            ("KOMPAK", "KOMPAK (Komunitas Orang Muda Anti Perdagangan Orang dan Eksploitasi Seksual Anak)", "youth", "ID"),
            ("FR", "Kedutaan Besar Prancis di Jakarta", "government", "FR"),
            ("TDH", "Terre des Hommes Netherlands", "international", "NL"),
            ("SUBGUGUS", "Sub-gugus tugas RAN PTPPO dan ESKA (provinsi)", "government", "ID"),
        ]
        for key, name, group, country in externals:
            self.partners[key] = services.partner_save(actor=self.sek_po, data={
                "name": name, "organisation": None, "stakeholder_group": self.groups[group],
                "country": self.countries[country]})

    def region(self, code):
        return Region.objects.get(code=code)

    def program(self, actor, *, code, title_id, title_en, desc_id, desc_en, start, end, status, provinces,
                regencies=(), partners=(), target_groups=(), funding=()):
        program = services.program_create(actor=actor, data={
            "code": code, "title_id": title_id, "title_en": title_en, "description_id": desc_id,
            "description_en": desc_en, "start_date": start, "end_date": end, "status": status,
            "provinces": [self.region(p) for p in provinces], "regencies": [self.region(r) for r in regencies],
            "partners": [self.partners[p] for p in partners], "target_groups": [self.groups[g] for g in target_groups],
        })
        for donor, amount, currency in funding:
            services.funding_set(actor=actor, program=program, donor=self.donors[donor],
                                 amount=Decimal(amount) if amount else None,
                                 currency=self.currencies[currency] if currency else None,
                                 note="Jumlah fiktif (demo)")
        return program

    def result(self, actor, program, level, code, title_id, title_en, parent=None):
        return services.result_save(actor=actor, program=program, data={
            "level": level, "code": code, "title_id": title_id, "title_en": title_en, "parent": parent,
            "order": int(code.replace(".", "") or 0)})

    def indicator(self, actor, result, code, title_id, title_en, *, measure="count", unit="", rule=None,
                  targets=(), baseline=None, by_sex=False, by_age=False, by_province=False):
        data = {"code": code, "title_id": title_id, "title_en": title_en, "measure": measure, "unit": unit,
                "by_sex": by_sex, "by_age_group": by_age, "by_province": by_province,
                "baseline_value": baseline}
        if rule:
            data.update({"computation": "rule", "rule_metric": rule["metric"], "rule_scope": rule.get("scope", "program"),
                         "rule_sex": rule.get("sex", ""),
                         "rule_activity_types": [self.types[t] for t in rule.get("types", ())],
                         "rule_age_groups": [self.ages[a] for a in rule.get("ages", ())],
                         "rule_stakeholder_groups": [self.groups[g] for g in rule.get("groups", ())]})
        indicator = services.indicator_save(actor=actor, result=result, data=data)
        for start, end, value, *note in targets:
            services.target_set(actor=actor, indicator=indicator, period_start=start, period_end=end,
                                value=Decimal(value) if value is not None else None, note=note[0] if note else "")
        return indicator

    def activity(self, actor, program, type_code, title, start, end=None, *, province=None, regency=None, venue="",
                 results=(), organisers=(), partners=(), participants=(), narrative="", status="completed",
                 test=None, outputs=(), countries=(), online=False, description=""):
        data = {"program": program, "type": self.types[type_code], "title": title, "start_date": start,
                "end_date": end or start, "province": self.region(province) if province else None,
                "regency": self.region(regency) if regency else None, "venue": venue, "is_online": online,
                "results": list(results), "organisers": [self.partners[p] for p in organisers],
                "partners": [self.partners[p] for p in partners], "results_narrative": narrative, "status": status,
                "description": description}
        if test:
            data.update({"pretest_average": Decimal(test[0]), "posttest_average": Decimal(test[1]),
                         "tested_count": test[2]})
        activity = services.activity_create(actor=actor, data=data)
        if participants:
            services.participants_set(actor=actor, activity=activity, rows=[
                {"sex": sex, "age_group": self.ages.get(age), "stakeholder_group": self.groups.get(group), "count": n}
                for sex, age, group, n in participants])
        for kind, title_, reach in outputs:
            services.part_add(actor=actor, activity=activity, model=ActivityOutput,
                              data={"kind": kind, "title": title_, "reach": reach, "published_on": end or start})
        if countries:
            services.countries_set(actor=actor, activity=activity, rows=[
                {"country": self.countries[c], "participants": n} for c, n in countries])
        return activity

    def mixed(self, total, groups, ages=("youth", "adult"), female_share=0.55):
        """Split `total` participants over sexes, age groups and stakeholder groups."""
        rows, cells = [], [(s, a, g) for g in groups for a in ages for s in ("female", "male")]
        weights = [(female_share if s == "female" else 1 - female_share) * self.rng.uniform(0.6, 1.4) for s, _, _ in cells]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        counts[0] += total - sum(counts)
        for (sex, age, group), n in zip(cells, counts, strict=True):
            if n > 0:
                rows.append((sex, age, group, n))
        return rows

    def fictional_name(self, i):
        return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} Contoh {i + 1:02d} (fiktif)"


def load(ctx) -> None:
    b = Builder(ctx)
    load_2012(b)
    load_current_year(b)


def load_2012(b: Builder) -> None:
    po, me = b.sek_po, b.sek_me
    # 1. EU: advocacy and youth participation in four provinces, four objectives.
    eu = b.program(
        po, code="EU-2012-RAN",
        title_id="Menguatkan Advokasi dan Partisipasi Orang Muda: aksi dukungan pelaksanaan RAN PTPPO dan ESKA",
        title_en="Strengthening advocacy and youth participation: supporting the National Action Plan against "
                 "trafficking and commercial sexual exploitation of children",
        desc_id="Inisiatif percontohan untuk mendukung pelaksanaan Rencana Aksi Nasional Pemberantasan Tindak Pidana "
                "Perdagangan Orang dan Eksploitasi Seksual Anak 2009–2014: advokasi agar pemerintah sebagai pengemban "
                "tugas serius mengatasi masalah ini, dan peningkatan partisipasi orang muda dalam advokasi dan "
                "peningkatan kesadaran di antara kelompok sebaya serta masyarakat.",
        desc_en="A pilot action supporting the 2009–2014 National Action Plan against trafficking in persons and the "
                "sexual exploitation of children: advocacy towards government as duty bearer, and youth "
                "participation in advocacy and peer awareness-raising.",
        start=D(2011, 1, 1), end=D(2013, 6, 30), status="completed", provinces=("31", "18", "21", "12"),
        regencies=("31.75", "18.71", "21.71", "12.71"), partners=("YKB", "LPA", "YBT", "PKM"),
        target_groups=("government", "youth", "community"),
        funding=[("Uni Eropa (European Union)", "450000", "EUR")],
    )
    goal = b.result(po, eu, "goal", "1", "Pemerintah dan masyarakat serius menangani perdagangan orang dan eksploitasi "
                    "seksual anak", "Government and society seriously address trafficking and sexual exploitation of children")
    o1 = b.result(po, eu, "outcome", "1.1", "Sekretariat koalisi nasional terbentuk di Jakarta untuk kerja advokasi "
                  "efektif di tingkat nasional", "A national coalition secretariat in Jakarta does effective national "
                  "advocacy", goal)
    o2 = b.result(po, eu, "outcome", "1.2", "Advokasi efektif terhadap badan pemerintah dan pembuat kebijakan "
                  "menghasilkan kemauan politik dan komitmen", "Effective advocacy with government bodies and "
                  "policy makers yields political will and commitment", goal)
    o3 = b.result(po, eu, "outcome", "1.3", "Asosiasi orang muda terbentuk dan aktif mendukung sub-gugus tugas RAN "
                  "di tingkat nasional dan provinsi", "Youth associations are formed and actively support the "
                  "National Action Plan sub-task forces nationally and in the provinces", goal)
    o4 = b.result(po, eu, "outcome", "1.4", "Asosiasi orang muda diperkuat untuk program berbasis masyarakat di "
                  "bidang advokasi dan peningkatan kesadaran sebaya", "Youth associations are strengthened to run "
                  "community-based advocacy and peer awareness programs", goal)
    out31 = b.result(po, eu, "output", "1.3.1", "Orang muda terlatih tentang pencegahan TPPO dan ESKA",
                     "Young people trained on preventing trafficking and sexual exploitation", o3)
    i1 = b.indicator(po, o1, "1.1.a", "Sekretariat nasional beroperasi dengan staf dan rencana kerja",
                     "National secretariat operating with staff and a work plan", measure="qualitative",
                     targets=[(D(2011, 1, 1), D(2013, 6, 30), None, "Sekretariat berfungsi penuh")])
    services.actual_record(actor=me, indicator=i1, period_start=D(2011, 1, 1), period_end=D(2013, 6, 30),
                           narrative="Sekretariat beroperasi di Jakarta; status jaringan ditingkatkan pada Maret 2012.",
                           source="Laporan tahunan 2012")
    b.indicator(po, o2, "1.2.a", "Jumlah audiensi dan rapat konsultasi dengan pemerintah dan sub-gugus tugas",
                "Advocacy hearings and consultation meetings with government and sub-task forces", unit="kegiatan",
                rule={"metric": "activities", "types": ("audiensi", "rapat-konsultasi")}, by_province=True,
                targets=[(D(2012, 1, 1), D(2012, 12, 31), 5)])
    b.indicator(po, out31, "1.3.1.a", "Orang muda yang mengikuti pelatihan dan lokakarya program ini",
                "Young people in this program's trainings and workshops", unit="orang",
                rule={"metric": "participants", "types": ("pelatihan", "workshop"), "ages": ("youth", "child")},
                by_sex=True, by_province=True, targets=[(D(2012, 1, 1), D(2012, 12, 31), 150)])
    b.indicator(po, out31, "1.3.1.b", "Peningkatan pengetahuan peserta pelatihan (pre-/post-test)",
                "Knowledge gain of training participants (pre/post test)", measure="percentage", unit="poin %",
                rule={"metric": "knowledge_gain", "types": ("pelatihan",)}, targets=[(D(2012, 1, 1), D(2012, 12, 31), 20)])
    b.indicator(po, o4, "1.4.a", "Jangkauan talkshow radio dan kampanye sebaya", "Reach of radio talk shows and peer "
                "campaigns", unit="pendengar", rule={"metric": "reach", "types": ("talkshow-radio", "kampanye")},
                targets=[(D(2012, 1, 1), D(2012, 12, 31), 40000)])
    sites = [("31", "31.75", "YKB", "Jakarta Timur"), ("18", "18.71", "LPA", "Bandar Lampung"),
             ("21", "21.71", "YBT", "Batam"), ("12", "12.71", "PKM", "Medan")]
    for month, (prov, reg, partner, city) in enumerate(sites, start=2):
        actor = b.ykb_po if partner == "YKB" else po
        b.activity(actor, eu, "audiensi", f"Audiensi dengan sub-gugus tugas RAN PTPPO provinsi — {city}",
                   D(2012, month, 14), province=prov, regency=reg, venue=f"Kantor Gubernur/Walikota, {city}",
                   results=[o2], organisers=(partner,), partners=("SUBGUGUS",),
                   participants=b.mixed(14, ("government", "police", "ngo")),
                   narrative="Sub-gugus tugas provinsi berkomitmen memasukkan partisipasi orang muda dalam rencana kerja.")
        b.activity(actor, eu, "pelatihan", f"Pelatihan orang muda tentang pencegahan TPPO dan ESKA — {city}",
                   D(2012, month + 3, 9), D(2012, month + 3, 11), province=prov, regency=reg, venue=f"Balai pertemuan, {city}",
                   results=[out31], organisers=(partner,),
                   participants=b.mixed(30, ("youth", "school"), ages=("child", "youth")),
                   test=(52 + month, 74 + month, 28),
                   narrative="Peserta menyusun rencana aksi sebaya untuk sekolah dan komunitasnya.")
        b.activity(actor, eu, "talkshow-radio", f"Talkshow radio: orang muda melawan eksploitasi seksual anak — {city}",
                   D(2012, month + 5, 20), province=prov, regency=reg, venue=f"Radio komunitas, {city}", results=[o4],
                   organisers=(partner,), participants=b.mixed(4, ("youth", "ngo")),
                   outputs=[("radio", f"Siaran talkshow {city}", 8000 + 1500 * month)])
    b.activity(po, eu, "rapat-konsultasi", "Rapat konsultasi nasional dengan Gugus Tugas RAN PTPPO", D(2012, 3, 27),
               province="31", regency="31.71", venue="Jakarta", results=[o2], organisers=("YKB",),
               participants=b.mixed(25, ("government", "police", "judiciary", "ngo"), ages=("adult",)))
    b.activity(po, eu, "workshop", "Lokakarya pembentukan asosiasi orang muda", D(2012, 6, 18), D(2012, 6, 19),
               province="18", regency="18.71", venue="Bandar Lampung", results=[out31], organisers=("LPA",),
               participants=b.mixed(40, ("youth",), ages=("child", "youth")),
               narrative="Asosiasi orang muda tingkat provinsi terbentuk dan menyusun anggaran dasar.")
    b.activity(po, eu, "seminar", "Seminar peran orang muda dalam RAN PTPPO dan ESKA", D(2012, 9, 25),
               province="12", regency="12.71", venue="Medan", results=[o3], organisers=("PKM",),
               participants=b.mixed(60, ("youth", "government", "school", "media")))

    # 2. Education ministry: prevention education in South Tangerang, implemented by KOMPAK.
    kemdikbud = b.program(
        po, code="KEMDIKBUD-2012-PTPPO",
        title_id="Peningkatan Pendidikan Pencegahan Tindak Pidana Perdagangan Orang (PTPPO) dan Eksploitasi Seksual Anak (ESA)",
        title_en="Improving education on preventing trafficking in persons and sexual exploitation of children",
        desc_id="Diimplementasikan oleh KOMPAK sebagai pengakuan dan tindak lanjut program peningkatan partisipasi "
                "orang muda, di Tangerang Selatan.",
        desc_en="Implemented by the KOMPAK youth community in South Tangerang, following up the youth participation "
                "program.",
        start=D(2012, 6, 1), end=D(2012, 12, 15), status="completed", provinces=("36",), regencies=("36.74",),
        partners=("KOMPAK",), target_groups=("community", "youth", "school"),
        funding=[("Kementerian Pendidikan dan Kebudayaan", "150000000", "IDR")],
    )
    kg = b.result(po, kemdikbud, "goal", "1", "Lingkungan aman yang bebas dari TPPO dan ESA di Tangerang Selatan",
                  "A safe environment free of trafficking and sexual exploitation in South Tangerang")
    k1 = b.result(po, kemdikbud, "outcome", "1.1", "Masyarakat memiliki pengetahuan dan pemahaman mengenai TPPO dan ESA",
                  "The community knows and understands trafficking and sexual exploitation", kg)
    k2 = b.result(po, kemdikbud, "outcome", "1.2", "Komitmen bersama elemen masyarakat untuk membangun lingkungan aman",
                  "Shared commitment of the community to build a safe environment", kg)
    k3 = b.result(po, kemdikbud, "outcome", "1.3", "Komunikasi sinergis antara aparatur pemerintah dan elemen masyarakat",
                  "Synergy between government officials and the community in prevention", kg)
    b.indicator(po, k1, "1.1.a", "Warga yang mengikuti sosialisasi dan pelatihan pencegahan",
                "Residents in prevention awareness sessions and trainings", unit="orang",
                rule={"metric": "participants", "types": ("sosialisasi", "pelatihan")}, by_sex=True, by_age=True,
                targets=[(D(2012, 6, 1), D(2012, 12, 15), 250)])
    for result, text in ((k2, "Komitmen bersama ditandatangani oleh tokoh masyarakat, sekolah dan kelurahan."),
                         (k3, "Forum komunikasi pemerintah–masyarakat bertemu secara berkala.")):
        ind = b.indicator(po, result, f"{result.code}.a", "Bukti komitmen dan kerja sama", "Evidence of commitment "
                          "and cooperation", measure="qualitative",
                          targets=[(D(2012, 6, 1), D(2012, 12, 15), None, "Tercapai")])
        services.actual_record(actor=me, indicator=ind, period_start=D(2012, 6, 1), period_end=D(2012, 12, 15),
                               narrative=text, source="Laporan akhir program (demo)")
    where = {"province": "36", "regency": "36.74", "organisers": ("KOMPAK",)}
    b.activity(po, kemdikbud, "pemetaan", "Pemetaan permasalahan dan aksi pencegahan TPPO dan ESA", D(2012, 6, 20),
               D(2012, 7, 10), venue="Tangerang Selatan", results=[k1], participants=b.mixed(12, ("youth",)), **where)
    b.activity(po, kemdikbud, "workshop", "Pengembangan model pencegahan TPPO dan ESA", D(2012, 8, 14), D(2012, 8, 15),
               venue="Tangerang Selatan", results=[k2, k3], participants=b.mixed(30, ("government", "community", "school")),
               outputs=[("document", "Model pencegahan TPPO dan ESA berbasis masyarakat", None)], **where)
    b.activity(po, kemdikbud, "sosialisasi", "Sosialisasi pencegahan TPPO dan ESA dan promosi partisipasi orang muda",
               D(2012, 10, 6), venue="Kelurahan-kelurahan di Tangerang Selatan", results=[k1],
               participants=b.mixed(150, ("community", "religious", "youth", "school"), ages=("child", "youth", "adult")),
               **where)
    b.activity(po, kemdikbud, "pelatihan", "Pelatihan masyarakat tentang pencegahan TPPO dan ESA", D(2012, 11, 12),
               D(2012, 11, 13), venue="Tangerang Selatan", results=[k1, k3],
               participants=b.mixed(45, ("community", "government", "religious")), test=(48, 71, 40), **where)

    # 3. MM Netherlands: investigation, monitoring and reporting (legal-services unit), one year.
    mmn = b.program(
        po, code="MMN-2012-LEGAL",
        title_id="Menguatkan Jaringan dalam Investigasi, Monitoring dan Pelaporan Kasus Eksploitasi Seksual Komersial Anak",
        title_en="Strengthening the network in investigating, monitoring and reporting cases of commercial sexual "
                 "exploitation of children",
        desc_id="Program berkelanjutan selama satu tahun: unit pelayanan hukum, pendampingan korban, jaringan dan "
                "audiensi dengan kepolisian.",
        desc_en="A one-year program: legal-services unit, victim accompaniment, networking and advocacy with the police.",
        start=D(2012, 9, 1), end=D(2013, 8, 31), status="completed", provinces=("31",),
        partners=("YKB",), target_groups=("police", "ngo"),
        funding=[("Mensen met een Missie (MM Netherlands)", "60000", "EUR")],
    )
    mg = b.result(po, mmn, "outcome", "1", "Kasus ESKA diinvestigasi, dimonitor dan dilaporkan oleh unit pelayanan hukum",
                  "Cases of sexual exploitation are investigated, monitored and reported by the legal-services unit")
    mo = b.result(po, mmn, "output", "1.1", "Unit pelayanan hukum beroperasi dengan SOP dan materi informasi",
                  "The legal-services unit operates with SOPs and information materials", mg)
    b.indicator(po, mg, "1.a", "Korban yang didampingi", "Victims accompanied", unit="kegiatan pendampingan",
                rule={"metric": "activities", "types": ("pendampingan-korban",)},
                targets=[(D(2012, 9, 1), D(2013, 8, 31), 12)])
    b.indicator(po, mo, "1.1.a", "Jangkauan leaflet dan factsheet", "Leaflets and factsheets distributed",
                unit="eksemplar", rule={"metric": "reach", "types": ("publikasi", "sosialisasi")},
                targets=[(D(2012, 9, 1), D(2013, 8, 31), 3000)])
    jkt = {"province": "31", "regency": "31.71", "organisers": ()}
    b.activity(po, mmn, "penyusunan-dokumen", "Penyusunan SOP Unit Pelayanan Hukum", D(2012, 9, 17), D(2012, 10, 5),
               venue="Sekretariat", results=[mo], participants=b.mixed(8, ("ngo",), ages=("adult",)),
               outputs=[("document", "SOP Unit Pelayanan Hukum", None)], **jkt)
    b.activity(po, mmn, "publikasi", "Pembuatan leaflet dan factsheet unit pelayanan hukum", D(2012, 10, 15),
               D(2012, 11, 2), results=[mo], outputs=[("publication", "Leaflet unit pelayanan hukum", 1000),
                                                      ("publication", "Factsheet ESKA di Indonesia", 500)], **jkt)
    b.activity(po, mmn, "sosialisasi", "Sosialisasi unit pelayanan hukum kepada jaringan", D(2012, 11, 20),
               results=[mo], participants=b.mixed(35, ("ngo", "government", "police")),
               outputs=[("publication", "Leaflet dibagikan pada sosialisasi", 350)], **jkt)
    for i, day in enumerate((D(2012, 10, 22), D(2012, 11, 8), D(2012, 12, 3))):
        b.activity(po, mmn, "pendampingan-korban", f"Pendampingan korban pada pemeriksaan kepolisian ({i + 1})", day,
                   results=[mg], narrative="Pendampingan pada pemeriksaan (BAP); identitas korban tidak dicatat di sini.",
                   **jkt)
    b.activity(po, mmn, "rapat-jaringan", "Rapat jaringan unit pelayanan hukum", D(2012, 12, 6), results=[mg],
               participants=b.mixed(18, ("ngo",), ages=("adult",)), **jkt)
    b.activity(po, mmn, "audiensi", "Audiensi dengan POLRI (Bareskrim, unit PPA) dan lembaga terkait", D(2012, 12, 11),
               results=[mg], participants=b.mixed(9, ("police", "government"), ages=("adult",)), **jkt)

    # 4. Conference on online child sexual exploitation, 29–30 October 2012: 170 participants from
    # 11 countries, 21 speakers.
    conf_program = b.program(
        po, code="KONF-OCSE-2012",
        title_id="Konferensi kejahatan seksual terhadap anak secara online: penegakan hukum dan kerja sama regional",
        title_en="Conference on online child sexual exploitation: law enforcement and regional cooperation",
        desc_id="Meningkatkan pengetahuan tentang tren terbaru kejahatan seksual terhadap anak secara online dan "
                "meninjau legislasi nasional dan internasional untuk membangun jaringan dan kerja sama regional.",
        desc_en="Raising knowledge of the latest trends in online child sexual exploitation and reviewing national and "
                "international law to build regional networks and cooperation.",
        start=D(2012, 7, 1), end=D(2012, 11, 30), status="completed", provinces=("31",), regencies=("31.72",),
        partners=("FR", "TDH"), target_groups=("police", "judiciary", "government", "ngo", "international"),
        funding=[("Kedutaan Besar Prancis", "25000", "EUR"), ("Terre des Hommes Netherlands", "30000", "EUR")],
    )
    cg = b.result(po, conf_program, "outcome", "1", "Pengetahuan dan kerja sama regional penegakan hukum meningkat",
                  "Knowledge and regional law-enforcement cooperation improved")
    b.indicator(po, cg, "1.a", "Peserta konferensi", "Conference participants", unit="orang",
                rule={"metric": "participants", "types": ("konferensi",)}, by_sex=True,
                targets=[(D(2012, 7, 1), D(2012, 11, 30), 150)])
    countries = [("ID", 120), ("NL", 5), ("FR", 6), ("PH", 8), ("TH", 7), ("KH", 5), ("MY", 5), ("SG", 4), ("AU", 4),
                 ("VN", 3), ("US", 3)]
    conf = b.activity(
        po, conf_program, "konferensi", "Konferensi Kejahatan Seksual terhadap Anak secara Online: Penegakan Hukum dan "
        "Kerjasama Regional", D(2012, 10, 29), D(2012, 10, 30), province="31", regency="31.72",
        venue="Mercure Convention Center, Ancol – Jakarta", results=[cg], organisers=("FR", "TDH"),
        participants=b.mixed(170, ("police", "judiciary", "government", "ngo", "international", "private"),
                             ages=("adult",), female_share=0.5),
        countries=countries, description="Presentasi, diskusi, pameran, program sosial dan pemutaran film.",
        narrative="Lebih dari 170 peserta dari 11 negara dan 21 pembicara; jaringan penegak hukum regional diperkuat.",
        outputs=[("document", "Prosiding konferensi", 170), ("media_article", "Liputan media nasional", None)],
    )
    tz = timezone.get_current_timezone()
    agenda = [("Pembukaan dan presentasi kunci", 29, 9), ("Tren terbaru kejahatan seksual anak secara online", 29, 11),
              ("Legislasi nasional dan internasional", 29, 14), ("Pameran dan pemutaran film", 29, 19),
              ("Diskusi: penegakan hukum lintas negara", 30, 9), ("Kerja sama regional dan penutupan", 30, 13)]
    sessions = [services.part_add(actor=po, activity=conf, model=EventSession, data={
        "title": title, "starts_at": datetime.datetime(2012, 10, day, hour, 0, tzinfo=tz),
        "ends_at": datetime.datetime(2012, 10, day, hour + 2, 0, tzinfo=tz), "room": "Ruang utama"})
        for title, day, hour in agenda]
    speaker_countries = ["ID"] * 9 + ["NL", "NL", "FR", "FR", "PH", "PH", "TH", "KH", "MY", "SG", "AU", "US"]
    for i, country in enumerate(speaker_countries):
        services.part_add(actor=po, activity=conf, model=Speaker, data={
            "session": sessions[i % len(sessions)], "name": f"Pembicara Fiktif {i + 1:02d}",
            "affiliation": ["Kepolisian", "Kementerian", "LSM", "Lembaga internasional", "Akademisi"][i % 5],
            "sex": Sex.FEMALE if i % 2 else Sex.MALE, "country": b.countries[country]})
    for i in range(12):
        services.registration_add(actor=po, activity=conf, data={
            "name": b.fictional_name(i), "contact": f"peserta{i + 1:02d}@contoh.invalid",
            "institution": "Lembaga fiktif", "sex": Sex.FEMALE if i % 2 else Sex.MALE,
            "stakeholder_group": b.groups[["police", "ngo", "government", "international"][i % 4]],
            "country": b.countries[countries[i % len(countries)][0]], "status": "attended"})

    # 5. ChildFund: research on reducing child trafficking in three areas (about six months).
    cf = b.program(
        po, code="CF-2012-RISET",
        title_id="Penelitian tentang Pengurangan Perdagangan Anak di Wilayah Kerja ChildFund",
        title_en="Research on reducing child trafficking in ChildFund's working areas",
        desc_id="Mengumpulkan data primer dari anak korban/penyintas perdagangan manusia dan dari pemangku "
                "kepentingan kunci, untuk memotret situasi perdagangan anak dan merancang intervensi pencegahan, "
                "perlindungan dan pemberdayaan.",
        desc_en="Primary data from child victims/survivors of trafficking and key stakeholders, to capture the "
                "situation and design prevention, protection and empowerment interventions.",
        start=D(2012, 7, 1), end=D(2012, 12, 31), status="completed", provinces=("31", "36", "33", "53"),
        regencies=("31.73", "36.03"), target_groups=("government", "ngo", "community"),
        funding=[("ChildFund", "20000", "USD")],
    )
    rg = b.result(po, cf, "output", "1", "Laporan situasi perdagangan anak dan rekomendasi intervensi",
                  "Report on the child-trafficking situation with recommended interventions")
    b.indicator(po, rg, "1.a", "Responden yang diwawancarai", "Respondents interviewed", unit="orang",
                rule={"metric": "participants", "types": ("penelitian",)}, by_age=True, by_province=True,
                targets=[(D(2012, 7, 1), D(2012, 12, 31), 120)])
    for prov, reg, area in (("31", "31.73", "Jakarta Barat"), ("36", "36.03", "Tangerang"), ("33", None, "Jawa Tengah"),
                            ("53", None, "Nusa Tenggara Timur")):
        b.activity(po, cf, "penelitian", f"Pengumpulan data primer — {area}", D(2012, 8, 6), D(2012, 9, 28),
                   province=prov, regency=reg, results=[rg],
                   participants=[("female", "child", "community", 8), ("male", "child", "community", 4),
                                 ("female", "adult", "government", 6), ("male", "adult", "government", 5),
                                 ("female", "adult", "ngo", 4), ("male", "adult", "religious", 3)])
    b.activity(po, cf, "penyusunan-dokumen", "Penyusunan laporan penelitian", D(2012, 11, 1), D(2012, 12, 20),
               province="31", results=[rg], outputs=[("document", "Laporan penelitian perdagangan anak", None)])

    # 6. National dialogue, 19 December 2012: three speakers, recommendations on legislation.
    dn = b.program(
        po, code="DN-OPSC-2012",
        title_id="Dialog Nasional Harmonisasi Peraturan Pasca Ratifikasi Protokol Opsional Konvensi Hak Anak tentang "
                 "Penjualan Anak, Pelacuran Anak dan Pornografi Anak",
        title_en="National dialogue on harmonising regulations after ratifying the Optional Protocol on the sale of "
                 "children, child prostitution and child pornography",
        desc_id="Menjembatani inisiatif para pemangku kepentingan pasca ratifikasi dan menghasilkan rekomendasi "
                "legislasi terkait pornografi dan eksploitasi seksual.",
        desc_en="Bridging stakeholders' initiatives after ratification; recommendations on legislation on pornography "
                "and sexual exploitation.",
        start=D(2012, 11, 1), end=D(2012, 12, 31), status="completed", provinces=("31",),
        target_groups=("government", "judiciary", "ngo"), funding=[("ECPAT International", "8000", "USD")],
    )
    dg = b.result(po, dn, "output", "1", "Rekomendasi harmonisasi legislasi", "Recommendations on harmonising legislation")
    ind = b.indicator(po, dg, "1.a", "Rekomendasi disampaikan kepada pemerintah", "Recommendations submitted to government",
                      measure="qualitative", targets=[(D(2012, 11, 1), D(2012, 12, 31), None, "Rekomendasi tersusun")])
    services.actual_record(actor=me, indicator=ind, period_start=D(2012, 11, 1), period_end=D(2012, 12, 31),
                           narrative="Rekomendasi tentang legislasi pornografi dan eksploitasi seksual disusun.",
                           source="Notulen dialog nasional")
    dialogue = b.activity(
        po, dn, "dialog-nasional", "Dialog Nasional Harmonisasi Peraturan Pasca Ratifikasi Protokol Opsional",
        D(2012, 12, 19), province="31", regency="31.71", venue="Hotel Ibis Arcadia, Jakarta", results=[dg],
        participants=b.mixed(45, ("government", "judiciary", "police", "ngo"), ages=("adult",)),
        outputs=[("recommendation", "Rekomendasi legislasi terkait pornografi dan eksploitasi seksual", None)],
        narrative="Rekomendasi tentang legislasi terkait pornografi dan eksploitasi seksual di Indonesia.")
    session = services.part_add(actor=po, activity=dialogue, model=EventSession, data={
        "title": "Langkah selanjutnya pasca ratifikasi", "starts_at": datetime.datetime(2012, 12, 19, 9, tzinfo=tz),
        "ends_at": datetime.datetime(2012, 12, 19, 15, tzinfo=tz)})
    for i, (affiliation, country) in enumerate((("Kementerian (pembicara)", "ID"), ("Kementerian (pembicara)", "ID"),
                                                ("Ahli hukum ECPAT International", "TH"))):
        services.part_add(actor=po, activity=dialogue, model=Speaker, data={
            "session": session, "name": f"Narasumber Fiktif {i + 1}", "affiliation": affiliation,
            "country": b.countries[country]})

    # 7. The Body Shop: strengthening the network's management (proposed 2012, run in 2013).
    tbs = b.program(
        po, code="TBS-2013-MANAJEMEN", title_id="Menguatkan Manajemen Jaringan",
        title_en="Strengthening the network's management",
        desc_id="Meningkatkan manajemen setelah peningkatan status sebagai kelompok nasional dan memperluas kerja "
                "pada layanan langsung bagi korban eksploitasi seksual anak.",
        desc_en="Improving management after the upgrade to national group status, and extending work to direct "
                "services for child victims of sexual exploitation.",
        start=D(2013, 1, 1), end=D(2013, 12, 31), status="completed", provinces=("31",),
        target_groups=("ngo",), funding=[("The Body Shop", "15000", "GBP")],
    )
    b.activity(po, tbs, "pengembangan-organisasi", "Penyusunan dan pengajuan proposal penguatan manajemen",
               D(2012, 11, 5), D(2012, 11, 30), province="31", outputs=[("document", "Proposal program 2013", None)])

    # Successes, lessons learned and challenges of 2012.
    for kind, program, title, text in [
        ("success", None, "Status jaringan ditingkatkan",
         "Koalisi diakui sebagai satu-satunya wakil jaringan internasional ECPAT di Indonesia dan resmi memakai nama dan "
         "logonya; visibilitas dan kepercayaan di semua tingkat jaringan meningkat."),
        ("success", eu, "Ratifikasi Protokol Opsional",
         "Ratifikasi protokol opsional tentang penjualan anak, pelacuran anak dan pornografi anak menjadi undang-undang "
         "(UU No. 10/2012) adalah salah satu keberhasilan advokasi kepada pemerintah."),
        ("success", conf_program, "Kolaborasi lintas sektor",
         "Kolaborasi dengan LSM, pemerintah, lembaga internasional, sektor swasta dan penegak hukum di tingkat nasional "
         "dan regional, termasuk melawan kejahatan seksual online terhadap anak."),
        ("lesson", None, "Penyesuaian sistem dan manajemen",
         "Peningkatan status perlu ditindaklanjuti dengan penyesuaian sistem dan manajemen organisasi agar selaras "
         "dengan arah strategi global dan regional."),
        ("challenge", None, "Komitmen kolaborasi",
         "Komitmen kolaborasi pemerintah, masyarakat dan swasta untuk memberantas eksploitasi seksual anak perlu terus "
         "dikembangkan, dengan metodologi penanganan yang komprehensif."),
        ("challenge", None, "Sumber daya",
         "Minimnya sumber daya manusia dan lembaga pendukung masih menghambat pengembangan program."),
        ("challenge", dn, "Pelaksanaan ratifikasi",
         "Pelaksanaan ratifikasi protokol opsional menjadi tantangan sekaligus peluang agar perubahan legislasi dan "
         "kebijakan nasional terarah dan terfokus."),
    ]:
        services.learning_save(actor=po, data={"program": program, "year": 2012, "kind": kind, "title": title,
                                               "text_id": text})


def load_current_year(b: Builder) -> None:
    """A fictional current year: an active program led by the secretariat (with member partners),
    and a smaller one led by YKB, with activities up to today and a few planned ones."""
    po, me, rng = b.sek_po, b.sek_me, b.rng
    today = timezone.localdate()
    year = today.year
    start, end = D(year, 1, 1), D(year, 12, 31)
    program = b.program(
        po, code=f"SEK-{year}-DARING",
        title_id="Sekolah Aman Daring: pencegahan eksploitasi seksual anak daring (demo)",
        title_en="Safe Schools Online: preventing online child sexual exploitation (demo)",
        desc_id="Program fiktif untuk demo: pelatihan guru dan siswa, kampanye sebaya dan talkshow radio.",
        desc_en="A fictional demo program: teacher and pupil trainings, peer campaigns and radio talk shows.",
        start=start, end=end, status="active", provinces=("31", "18"), regencies=("31.75", "18.71"),
        partners=("YKB", "LPA"), target_groups=("school", "youth"),
        funding=[("Yayasan Pelangi Nusantara (demo)", "750000000", "IDR"), ("Kindernothilfe", "40000", "EUR")],
    )
    goal = b.result(po, program, "goal", "1", "Anak terlindungi dari eksploitasi seksual daring",
                    "Children are protected from online sexual exploitation")
    outcome = b.result(po, program, "outcome", "1.1", "Sekolah mampu mencegah dan merespons eksploitasi daring",
                       "Schools prevent and respond to online exploitation", goal)
    output = b.result(po, program, "output", "1.1.1", "Guru dan siswa terlatih", "Teachers and pupils trained", outcome)
    quarters = [(D(year, m, 1), (D(year, m + 3, 1) if m < 10 else D(year + 1, 1, 1)) - datetime.timedelta(days=1))
                for m in (1, 4, 7, 10)]
    b.indicator(po, output, "1.1.1.a", "Siswa dan orang muda yang dilatih", "Pupils and young people trained",
                unit="orang", rule={"metric": "participants", "types": ("pelatihan",), "ages": ("child", "youth")},
                by_sex=True, by_age=True, by_province=True, targets=[(s, e, 120) for s, e in quarters])
    b.indicator(po, output, "1.1.1.b", "Guru yang dilatih", "Teachers trained", unit="orang",
                rule={"metric": "participants", "types": ("pelatihan",), "ages": ("adult",), "groups": ("school",)},
                by_sex=True, targets=[(start, end, 200)])
    b.indicator(po, output, "1.1.1.c", "Peningkatan pengetahuan peserta pelatihan", "Knowledge gain of trainees",
                measure="percentage", unit="poin %", rule={"metric": "knowledge_gain", "types": ("pelatihan",)},
                targets=[(start, end, 25)])
    b.indicator(po, outcome, "1.1.a", "Jangkauan kampanye dan talkshow radio", "Reach of campaigns and radio talk shows",
                unit="orang", rule={"metric": "reach", "types": ("talkshow-radio", "kampanye")},
                targets=[(start, end, 60000)])
    policy_ind = b.indicator(po, outcome, "1.1.b", "Sekolah yang mengadopsi kebijakan perlindungan anak daring",
                             "Schools adopting an online child-protection policy", unit="sekolah",
                             baseline=Decimal(2), targets=[(start, end, 20)])
    sites = [("31", "31.75", "YKB", b.ykb_po), ("18", "18.71", "LPA", po)]
    month = 1
    while month <= 12 and D(year, month, 1) <= today + datetime.timedelta(days=60):
        for prov, reg, partner, actor in sites:
            day = D(year, month, rng.randint(3, 26))
            status = "completed" if day <= today else "planned"
            kind = rng.choice(["pelatihan", "pelatihan", "sosialisasi", "talkshow-radio", "kampanye"])
            held = status == "completed"
            kwargs = {}
            if kind == "pelatihan":
                kwargs["participants"] = b.mixed(rng.randint(20, 40), ("school", "youth"), ages=("child", "youth")) + \
                    b.mixed(rng.randint(4, 10), ("school",), ages=("adult",), female_share=0.6) if held else ()
                pre = rng.randint(40, 60)
                kwargs["test"] = (pre, pre + rng.randint(10, 30), rng.randint(20, 35)) if held else None
            elif kind in ("talkshow-radio", "kampanye"):
                kwargs["outputs"] = [("radio" if kind == "talkshow-radio" else "online", f"Siaran/konten bulan {month}",
                                      rng.randint(2000, 9000))] if held else ()
                kwargs["participants"] = b.mixed(rng.randint(3, 8), ("youth",)) if held else ()
            else:
                kwargs["participants"] = b.mixed(rng.randint(25, 60), ("community", "school", "religious")) if held else ()
            activity = b.activity(actor, program, kind, f"{ActivityType.objects.get(code=kind).label_id} sekolah aman daring "
                                  f"({reg}, {month:02d}/{year})", day, province=prov, regency=reg,
                                  venue="Sekolah mitra (fiktif)", results=[output], organisers=(partner,),
                                  status=status, **kwargs)
            if held and kind == "pelatihan" and actor is b.ykb_po:
                for i in range(5):
                    services.attendance_add(actor=actor, activity=activity, data={
                        "name": b.fictional_name(i + month * 5), "contact": f"08{rng.randint(10**9, 10**10 - 1)}",
                        "institution": "Sekolah fiktif", "sex": Sex.FEMALE if i % 2 else Sex.MALE,
                        "age_group": b.ages["child"], "stakeholder_group": b.groups["school"]})
        month += 1
    done_quarters = [q for q in quarters if q[1] < today]
    for s, e in done_quarters:
        services.actual_record(actor=me, indicator=policy_ind, period_start=s, period_end=e,
                               value=Decimal(rng.randint(2, 5)), source="Laporan sekolah mitra (demo)")
    services.learning_save(actor=po, data={
        "program": program, "year": year, "kind": "lesson", "title": "Melibatkan orang tua sejak awal",
        "text_id": "Sekolah yang melibatkan komite orang tua sejak awal lebih cepat mengadopsi kebijakan (demo)."})

    ykb = b.program(
        b.ykb_po, code=f"YKB-{year}-RADIO", title_id="Suara Anak Jakarta: talkshow radio dan sosialisasi (demo)",
        title_en="Children's Voices Jakarta: radio talk shows and awareness sessions (demo)", desc_id="Program fiktif YKB.",
        desc_en="A fictional YKB program.", start=start, end=end, status="active", provinces=("31",),
        regencies=("31.75",), target_groups=("community", "youth"),
        funding=[("Yayasan Pelangi Nusantara (demo)", "120000000", "IDR")])
    ygoal = b.result(b.ykb_po, ykb, "outcome", "1", "Warga Jakarta Timur memahami risiko eksploitasi seksual anak",
                     "Residents of East Jakarta understand the risks of child sexual exploitation")
    b.indicator(b.ykb_po, ygoal, "1.a", "Pendengar talkshow radio", "Radio talk show listeners", unit="pendengar",
                rule={"metric": "reach", "types": ("talkshow-radio",)}, targets=[(start, end, 100000)])
    b.indicator(b.ykb_po, ygoal, "1.b", "Warga yang mengikuti sosialisasi", "Residents in awareness sessions",
                unit="orang", rule={"metric": "participants", "types": ("sosialisasi",)}, by_sex=True,
                targets=[(start, end, 400)])
    first = D(year, 2, 10)
    if first <= today:
        b.activity(b.ykb_po, ykb, "talkshow-radio", "Talkshow radio: mengenali grooming daring", first, province="31",
                   regency="31.75", venue="Radio komunitas (fiktif)", results=[ygoal],
                   outputs=[("radio", "Siaran talkshow Februari", 6500)], participants=b.mixed(4, ("youth", "ngo")))
    b.activity(b.ykb_po, ykb, "sosialisasi", "Sosialisasi RW ramah anak (rencana)", today + datetime.timedelta(days=12),
               province="31", regency="31.75", venue="Balai RW (fiktif)", results=[ygoal], status="planned")
    _ = Indicator, Partner, Program
