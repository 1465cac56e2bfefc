"""Load the medical taxonomy (English and French labels, stable codes).

Sources of the lists:

- Career stages: the stages named in issue 5 (medical student, residents PGY-1 to PGY-7,
  fellow, early/mid/late career, retired). French follows Quebec usage (R1 for PGY-1).
- Specialties and subspecialties: the disciplines recognised by the Royal College of
  Physicians and Surgeons of Canada (royalcollege.ca, "Information by discipline" /
  "Information par discipline"), with the official English and French names; a
  subspecialty's ``parent`` is its usual entry specialty.
- Family medicine: the College of Family Physicians of Canada (cfpc.ca) and its
  Certificates of Added Competence (CAC) domains, English and French names as the CFPC
  publishes them.
- Provinces and territories: ISO 3166-2:CA codes, official names in both languages, the
  main time zone of each (IANA tz database).
- Languages: ISO 639 codes; English and French first, then languages widely spoken by
  physicians and patients in Canada (Statistics Canada, 2021 Census, languages spoken at
  home), including three Indigenous languages.
- Interest areas and mentoring goals: DOMAIN.md (what a mentee may want help with) and
  issue 5's examples.

Every term can be corrected or retired (``active``) in the admin; codes never change.
"""

from django.db import migrations

CAREER_STAGES = [
    # code, English, French, ordinal
    ("medical-student", "Medical student", "Étudiant(e) en médecine", 10),
    ("resident-pgy1", "Resident, PGY-1", "Résident(e) R1 (PGY-1)", 21),
    ("resident-pgy2", "Resident, PGY-2", "Résident(e) R2 (PGY-2)", 22),
    ("resident-pgy3", "Resident, PGY-3", "Résident(e) R3 (PGY-3)", 23),
    ("resident-pgy4", "Resident, PGY-4", "Résident(e) R4 (PGY-4)", 24),
    ("resident-pgy5", "Resident, PGY-5", "Résident(e) R5 (PGY-5)", 25),
    ("resident-pgy6", "Resident, PGY-6", "Résident(e) R6 (PGY-6)", 26),
    ("resident-pgy7", "Resident, PGY-7", "Résident(e) R7 (PGY-7)", 27),
    ("fellow", "Fellow", "Fellow (formation complémentaire)", 30),
    (
        "early-career",
        "Early career physician (under 5 years in practice)",
        "Médecin en début de carrière (moins de 5 ans de pratique)",
        40,
    ),
    ("mid-career", "Mid-career physician", "Médecin en milieu de carrière", 50),
    ("late-career", "Late-career physician", "Médecin en fin de carrière", 60),
    ("retired", "Retired physician", "Médecin à la retraite", 70),
]

SPECIALTIES = [
    # Royal College specialties: code, English, French
    ("anatomical-pathology", "Anatomical Pathology", "Anatomo-pathologie"),
    ("anesthesiology", "Anesthesiology", "Anesthésiologie"),
    ("cardiac-surgery", "Cardiac Surgery", "Chirurgie cardiaque"),
    ("dermatology", "Dermatology", "Dermatologie"),
    ("diagnostic-radiology", "Diagnostic Radiology", "Radiologie diagnostique"),
    ("emergency-medicine", "Emergency Medicine", "Médecine d'urgence"),
    ("general-pathology", "General Pathology", "Pathologie générale"),
    ("general-surgery", "General Surgery", "Chirurgie générale"),
    ("hematological-pathology", "Hematological Pathology", "Hématopathologie"),
    ("internal-medicine", "Internal Medicine", "Médecine interne"),
    ("medical-genetics", "Medical Genetics and Genomics", "Génétique médicale et génomique"),
    ("medical-microbiology", "Medical Microbiology", "Microbiologie médicale"),
    ("neurology", "Neurology", "Neurologie"),
    ("neuropathology", "Neuropathology", "Neuropathologie"),
    ("neurosurgery", "Neurosurgery", "Neurochirurgie"),
    ("nuclear-medicine", "Nuclear Medicine", "Médecine nucléaire"),
    ("obstetrics-gynecology", "Obstetrics and Gynecology", "Obstétrique et gynécologie"),
    ("ophthalmology", "Ophthalmology", "Ophtalmologie"),
    ("orthopedic-surgery", "Orthopedic Surgery", "Chirurgie orthopédique"),
    (
        "otolaryngology",
        "Otolaryngology – Head and Neck Surgery",
        "Oto-rhino-laryngologie et chirurgie cervico-faciale",
    ),
    ("pediatrics", "Pediatrics", "Pédiatrie"),
    (
        "physical-medicine-rehabilitation",
        "Physical Medicine and Rehabilitation",
        "Médecine physique et réadaptation",
    ),
    ("plastic-surgery", "Plastic Surgery", "Chirurgie plastique"),
    ("psychiatry", "Psychiatry", "Psychiatrie"),
    (
        "public-health-preventive-medicine",
        "Public Health and Preventive Medicine",
        "Santé publique et médecine préventive",
    ),
    ("radiation-oncology", "Radiation Oncology", "Radio-oncologie"),
    ("urology", "Urology", "Urologie"),
    ("vascular-surgery", "Vascular Surgery", "Chirurgie vasculaire"),
]

SUBSPECIALTIES = [
    # Royal College subspecialties: code, English, French, parent code
    ("cardiology", "Cardiology", "Cardiologie", "internal-medicine"),
    (
        "clinical-immunology-allergy",
        "Clinical Immunology and Allergy",
        "Immunologie clinique et allergie",
        "internal-medicine",
    ),
    (
        "clinical-pharmacology-toxicology",
        "Clinical Pharmacology and Toxicology",
        "Pharmacologie clinique et toxicologie",
        "internal-medicine",
    ),
    ("critical-care-medicine", "Critical Care Medicine", "Médecine de soins intensifs",
     "internal-medicine"),
    ("endocrinology", "Endocrinology and Metabolism", "Endocrinologie et métabolisme",
     "internal-medicine"),
    ("gastroenterology", "Gastroenterology", "Gastroentérologie", "internal-medicine"),
    ("general-internal-medicine", "General Internal Medicine", "Médecine interne générale",
     "internal-medicine"),
    ("geriatric-medicine", "Geriatric Medicine", "Gériatrie", "internal-medicine"),
    ("hematology", "Hematology", "Hématologie", "internal-medicine"),
    ("infectious-diseases", "Infectious Diseases", "Maladies infectieuses", "internal-medicine"),
    ("medical-oncology", "Medical Oncology", "Oncologie médicale", "internal-medicine"),
    ("nephrology", "Nephrology", "Néphrologie", "internal-medicine"),
    ("occupational-medicine", "Occupational Medicine", "Médecine du travail",
     "internal-medicine"),
    ("palliative-medicine", "Palliative Medicine", "Médecine palliative", "internal-medicine"),
    ("respirology", "Respirology", "Pneumologie", "internal-medicine"),
    ("rheumatology", "Rheumatology", "Rhumatologie", "internal-medicine"),
    ("adolescent-medicine", "Adolescent Medicine", "Médecine de l'adolescence", "pediatrics"),
    ("developmental-pediatrics", "Developmental Pediatrics", "Pédiatrie du développement",
     "pediatrics"),
    ("neonatal-perinatal-medicine", "Neonatal-Perinatal Medicine",
     "Médecine néonatale et périnatale", "pediatrics"),
    ("pediatric-emergency-medicine", "Pediatric Emergency Medicine",
     "Médecine d'urgence pédiatrique", "pediatrics"),
    ("pediatric-hematology-oncology", "Pediatric Hematology/Oncology",
     "Hématologie/oncologie pédiatrique", "pediatrics"),
    ("colorectal-surgery", "Colorectal Surgery", "Chirurgie colorectale", "general-surgery"),
    ("general-surgical-oncology", "General Surgical Oncology", "Oncologie chirurgicale générale",
     "general-surgery"),
    ("pediatric-surgery", "Pediatric Surgery", "Chirurgie pédiatrique", "general-surgery"),
    ("thoracic-surgery", "Thoracic Surgery", "Chirurgie thoracique", "general-surgery"),
    ("gynecologic-oncology", "Gynecologic Oncology", "Gynécologie oncologique",
     "obstetrics-gynecology"),
    (
        "gynecologic-reproductive-endocrinology",
        "Gynecologic Reproductive Endocrinology and Infertility",
        "Endocrinologie gynécologique de la reproduction et de l'infertilité",
        "obstetrics-gynecology",
    ),
    ("maternal-fetal-medicine", "Maternal-Fetal Medicine", "Médecine fœto-maternelle",
     "obstetrics-gynecology"),
    ("child-adolescent-psychiatry", "Child and Adolescent Psychiatry",
     "Psychiatrie de l'enfant et de l'adolescent", "psychiatry"),
    ("forensic-psychiatry", "Forensic Psychiatry", "Psychiatrie légale", "psychiatry"),
    ("geriatric-psychiatry", "Geriatric Psychiatry", "Gérontopsychiatrie", "psychiatry"),
    ("interventional-radiology", "Interventional Radiology", "Radiologie interventionnelle",
     "diagnostic-radiology"),
    ("neuroradiology", "Neuroradiology", "Neuroradiologie", "diagnostic-radiology"),
    ("pediatric-radiology", "Pediatric Radiology", "Radiologie pédiatrique",
     "diagnostic-radiology"),
    ("forensic-pathology", "Forensic Pathology", "Pathologie judiciaire", "anatomical-pathology"),
    ("pain-medicine", "Pain Medicine", "Médecine de la douleur", "anesthesiology"),
]

FAMILY_MEDICINE = [
    # CFPC: family medicine and its Certificates of Added Competence domains
    ("family-medicine", "Family Medicine", "Médecine familiale"),
    ("fm-addiction-medicine", "Addiction Medicine (family medicine)",
     "Médecine des toxicomanies (médecine familiale)"),
    ("fm-care-of-the-elderly", "Care of the Elderly", "Soins aux personnes âgées"),
    ("fm-emergency-medicine", "Emergency Medicine (family medicine)",
     "Médecine d'urgence (médecine familiale)"),
    ("fm-enhanced-surgical-skills", "Enhanced Surgical Skills", "Compétences chirurgicales avancées"),
    ("fm-anesthesia", "Family Practice Anesthesia", "Anesthésie en médecine familiale"),
    ("fm-palliative-care", "Palliative Care (family medicine)",
     "Soins palliatifs (médecine familiale)"),
    ("fm-sport-exercise-medicine", "Sport and Exercise Medicine (family medicine)",
     "Médecine du sport et de l'exercice (médecine familiale)"),
]

INTERESTS = [
    ("sexual-health", "Sexual health", "Santé sexuelle"),
    ("public-health", "Public health", "Santé publique"),
    ("global-health", "Global health", "Santé mondiale"),
    ("research", "Research", "Recherche"),
    ("medical-education", "Medical education", "Éducation médicale"),
    ("leadership", "Leadership", "Leadership"),
    ("advocacy", "Advocacy", "Défense des intérêts"),
    ("physician-wellness", "Physician wellness", "Mieux-être des médecins"),
    ("rural-medicine", "Rural medicine", "Médecine rurale"),
    ("indigenous-health", "Indigenous health", "Santé des Autochtones"),
    ("quality-improvement", "Quality improvement", "Amélioration de la qualité"),
    ("patient-safety", "Patient safety", "Sécurité des patients"),
    ("equity-diversity-inclusion", "Equity, diversity and inclusion",
     "Équité, diversité et inclusion"),
    ("digital-health", "Digital health", "Santé numérique"),
    ("mental-health", "Mental health", "Santé mentale"),
    ("womens-health", "Women's health", "Santé des femmes"),
    ("2slgbtqia-health", "2SLGBTQIA+ health", "Santé 2ELGBTQIA+"),
    ("newcomer-health", "Refugee and newcomer health",
     "Santé des personnes réfugiées et nouvellement arrivées"),
    ("climate-health", "Climate change and health", "Changements climatiques et santé"),
]

GOALS = [
    ("career-goals", "Career goals", "Objectifs de carrière"),
    ("career-expectations", "Career expectations", "Attentes professionnelles"),
    ("work-life-balance", "Work-life balance", "Conciliation travail-vie personnelle"),
    ("wellness", "Wellness", "Mieux-être"),
    ("leadership", "Leadership", "Leadership"),
    ("research", "Research", "Recherche"),
    ("clinical-skills", "Clinical skills", "Compétences cliniques"),
    ("teaching", "Teaching", "Enseignement"),
    ("practice-management", "Practice management", "Gestion de la pratique"),
    ("personal-development", "Personal development", "Développement personnel"),
    ("career-transitions", "Career transitions", "Transitions de carrière"),
    ("residency-match", "Applying to residency (CaRMS)", "Candidature en résidence (CaRMS)"),
    ("academic-career", "Academic career and promotion", "Carrière universitaire et promotion"),
    ("anything-else", "Anything else life may throw your way",
     "Tout ce que la vie peut vous réserver"),
]

PROVINCES = [
    ("AB", "Alberta", "Alberta", "America/Edmonton"),
    ("BC", "British Columbia", "Colombie-Britannique", "America/Vancouver"),
    ("MB", "Manitoba", "Manitoba", "America/Winnipeg"),
    ("NB", "New Brunswick", "Nouveau-Brunswick", "America/Moncton"),
    ("NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "America/St_Johns"),
    ("NS", "Nova Scotia", "Nouvelle-Écosse", "America/Halifax"),
    ("ON", "Ontario", "Ontario", "America/Toronto"),
    ("PE", "Prince Edward Island", "Île-du-Prince-Édouard", "America/Halifax"),
    ("QC", "Quebec", "Québec", "America/Toronto"),
    ("SK", "Saskatchewan", "Saskatchewan", "America/Regina"),
    ("NT", "Northwest Territories", "Territoires du Nord-Ouest", "America/Yellowknife"),
    ("NU", "Nunavut", "Nunavut", "America/Iqaluit"),
    ("YT", "Yukon", "Yukon", "America/Whitehorse"),
]

LANGUAGES = [
    ("en", "English", "Anglais"),
    ("fr", "French", "Français"),
    ("cmn", "Mandarin", "Mandarin"),
    ("yue", "Cantonese", "Cantonais"),
    ("pa", "Punjabi", "Pendjabi"),
    ("es", "Spanish", "Espagnol"),
    ("ar", "Arabic", "Arabe"),
    ("tl", "Tagalog", "Tagalog"),
    ("hi", "Hindi", "Hindi"),
    ("ur", "Urdu", "Ourdou"),
    ("fa", "Persian (Farsi)", "Persan (farsi)"),
    ("pt", "Portuguese", "Portugais"),
    ("it", "Italian", "Italien"),
    ("de", "German", "Allemand"),
    ("ru", "Russian", "Russe"),
    ("uk", "Ukrainian", "Ukrainien"),
    ("ko", "Korean", "Coréen"),
    ("vi", "Vietnamese", "Vietnamien"),
    ("iu", "Inuktitut", "Inuktitut"),
    ("cr", "Cree", "Cri"),
    ("oj", "Ojibwe", "Ojibwé"),
]

MODALITIES = [
    ("in-person", "In person", "En personne"),
    ("virtual", "Virtual (video or phone)", "Virtuel (vidéo ou téléphone)"),
    ("either", "In person or virtual", "En personne ou virtuel"),
]

CADENCES = [
    ("weekly", "Every week", "Chaque semaine"),
    ("every-two-weeks", "Every two weeks", "Toutes les deux semaines"),
    ("monthly", "Every month", "Chaque mois"),
    ("every-two-months", "Every two months", "Tous les deux mois"),
    ("quarterly", "Every three months", "Tous les trois mois"),
    ("as-needed", "As needed", "Au besoin"),
]

IDENTITIES = [
    ("first-nations", "First Nations", "Premières Nations"),
    ("inuit", "Inuit", "Inuit"),
    ("metis", "Métis", "Métis"),
    ("black", "Black", "Noir(e)"),
    ("racialized", "Racialized person", "Personne racisée"),
    ("2slgbtqia", "2SLGBTQIA+", "2ELGBTQIA+"),
    ("disability", "Person with a disability", "Personne en situation de handicap"),
    ("img", "International medical graduate", "Diplômé(e) international(e) en médecine"),
    ("first-generation", "First in my family to attend university",
     "Première génération de ma famille à l'université"),
    ("francophone-minority", "Francophone outside Quebec", "Francophone hors Québec"),
]

SIMPLE = {
    "InterestArea": INTERESTS,
    "Goal": GOALS,
    "Language": LANGUAGES,
    "Modality": MODALITIES,
    "Cadence": CADENCES,
    "Identity": IDENTITIES,
}


def load(apps, schema_editor):
    for model_name, rows in SIMPLE.items():
        model = apps.get_model("profiles", model_name)
        model.objects.bulk_create(
            model(code=code, label_en=en, label_fr=fr, position=k)
            for k, (code, en, fr) in enumerate(rows)
        )
    CareerStage = apps.get_model("profiles", "CareerStage")
    CareerStage.objects.bulk_create(
        CareerStage(code=code, label_en=en, label_fr=fr, ordinal=ordinal, position=k)
        for k, (code, en, fr, ordinal) in enumerate(CAREER_STAGES)
    )
    Province = apps.get_model("profiles", "Province")
    Province.objects.bulk_create(
        Province(code=code, label_en=en, label_fr=fr, time_zone=tz, position=k)
        for k, (code, en, fr, tz) in enumerate(PROVINCES)
    )
    Specialty = apps.get_model("profiles", "Specialty")
    Specialty.objects.bulk_create(
        Specialty(code=code, label_en=en, label_fr=fr, kind="specialty")
        for code, en, fr in SPECIALTIES
    )
    Specialty.objects.bulk_create(
        Specialty(code=code, label_en=en, label_fr=fr, kind="family_medicine")
        for code, en, fr in FAMILY_MEDICINE
    )
    parents = {s.code: s for s in Specialty.objects.all()}
    Specialty.objects.bulk_create(
        Specialty(code=code, label_en=en, label_fr=fr, kind="subspecialty", parent=parents[p])
        for code, en, fr, p in SUBSPECIALTIES
    )
    family = parents["family-medicine"]
    Specialty.objects.filter(code__startswith="fm-").update(parent=family)


def unload(apps, schema_editor):
    Specialty = apps.get_model("profiles", "Specialty")
    Specialty.objects.exclude(parent=None).delete()
    for name in ("Specialty", "CareerStage", "Province", *SIMPLE):
        apps.get_model("profiles", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
