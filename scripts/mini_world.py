"""The small world of the trained mini model: Arabic news sentences and their English, with gold
word alignments, generated from templates and fillers (scripts/train_mini_model.py trains on it).

A template is an Arabic and an English string of whitespace tokens. `word|k` tags a word with
alignment labels (comma-separated): Arabic and English words sharing a label are linked; an
untagged word is linked to nothing. `{F}` is a slot filled from the pool of its letter (F forces,
G governments and ministries, P people, N news agencies, L towns, C border crossings, K counts,
M dates, D days, Y years, Q quotes, X Latin-script names); `{F2}` is a second slot of the same
pool; `{F=key}` always takes the filler whose key (or English, spaces as _) is given. Arabic
letters glued before a slot are proclitics (و ب ل، ل + ال written لل); an English word
tagged with a slot's name (`and|F2`) is linked to the slot's first Arabic word, the one
carrying the proclitic. In English, a filler marked with the article is preceded by "the".

Actors are entries of the shipped glossary (several rendered here their own way, unlike the
glossary, so that the glossary has something to override) and names in no glossary. Some
slots are filled with Latin-script text, which the English copies: the model learns to copy,
as opus-mt models do, the renderings that glossary injection puts into the Arabic.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Filler:
    ar: str
    en: str
    article: bool = False  # English puts "the" before it
    links: str = ""  # Pharaoh links inside the filler; default: in order
    key: str = ""  # a name for `{F=key}`; default: the English

    @property
    def name(self) -> str:
        return self.key or self.en


def _fillers(rows: list[tuple]) -> list[Filler]:
    return [Filler(*row) for row in rows]


# Own renderings (unlike the shipped glossary) are marked "own".
FORCES = _fillers([
    ("قسد", "Qasad forces", True, "0-0 0-1"),  # own; glossary SDF
    ("الحشد الشعبي", "Popular Mobilisation", True),  # own; glossary PMF
    ("الجيش السوري", "Syrian Arab Army", True, "1-0 1-1 0-2"),  # own; glossary Syrian army
    ("حزب العمال الكردستاني", "Kurdistan Workers' Party", True, "2-0 1-1 0-2"),  # own; PKK
    ("التحالف الدولي", "international coalition", True, "1-0 0-1"),  # own; U.S.-led coalition
    ("هيئة تحرير الشام", "Tahrir al-Sham", False, "0-0 1-0 2-1"),  # own; HTS
    ("الحرس الثوري", "Revolutionary Guards", True, "1-0 0-1"),  # own; IRGC
    ("وحدات حماية الشعب", "People's Protection Units", True, "2-0 1-1 0-2"),  # own; YPG
    ("حزب الله", "Hezbollah", False, "0-0 1-0"),
    ("عصائب أهل الحق", "Asaib Ahl al-Haq"),
    ("منظمة بدر", "Badr Organization", True, "1-0 0-1"),
    ("الجيش العراقي", "Iraqi army", True, "1-0 0-1"),
    ("قوات البيشمركة", "Peshmerga", True, "0-0 1-0"),
    ("جهاز مكافحة الإرهاب", "Counter-Terrorism Service", True, "1-0 2-0 0-1"),
    ("كتائب حزب الله", "Kataib Hezbollah", False, "0-0 1-1 2-1"),
    ("الجيش الوطني السوري", "Syrian National Army", True, "2-0 1-1 0-2"),
    ("داعش", "ISIS"),
    ("لواء الصقور", "Falcons Brigade", True, "1-0 0-1"),
    ("قوات النخبة", "Elite Forces", True, "1-0 0-1"),
    ("فوج المغاوير", "Commando Regiment", True, "1-0 0-1"),
    ("كتيبة الفرقان", "Furqan Battalion", True, "1-0 0-1"),
    ("قوات العشائر", "tribal forces", True, "1-0 0-1"),
])
GOVERNMENTS = _fillers([
    ("الحكومة السورية", "Syrian government", True, "1-0 0-1"),
    ("الحكومة العراقية", "Iraqi government", True, "1-0 0-1"),
    ("وزارة الدفاع العراقية", "Iraqi Defense Ministry", True, "2-0 1-1 0-2"),
    ("وزارة الداخلية السورية", "Syrian Interior Ministry", True, "2-0 1-1 0-2"),
    ("وزارة الخارجية التركية", "Turkish Foreign Ministry", True, "2-0 1-1 0-2"),
    ("الأمم المتحدة", "United Nations", True, "1-0 0-1"),
    ("قيادة العمليات المشتركة", "Joint Operations Command", True, "2-0 1-1 0-2"),
    ("حكومة إقليم كردستان", "Kurdistan government", True, "2-0 1-0 0-1"),  # own; KRG
    ("الإدارة الذاتية", "Autonomous Administration", True, "1-0 0-1"),
])
PEOPLE = _fillers([
    ("مظلوم عبدي", "Mazloum Abdi"),
    ("فالح الفياض", "Falih al-Fayyadh"),
    ("هادي العامري", "Hadi al-Amiri"),
    ("قيس الخزعلي", "Qais al-Khazali"),
    ("أبو محمد الجولاني", "Abu Mohammad al-Jolani"),  # own; glossary Abu Mohammed al-Golani
    ("فؤاد حسين", "Fuad Hussein"),
    ("مقتدى الصدر", "Moqtada al-Sadr"),
    ("سامر الخطيب", "Samer al-Khatib"),
    ("جاسم الدليمي", "Jassim al-Dulaimi"),
    ("نادر العبيدي", "Nader al-Obeidi"),
    ("رائد الحمداني", "Raed al-Hamdani"),
    ("كريم الزبيدي", "Karim al-Zubaidi"),
    ("وليد العكيدي", "Walid al-Ugaidi"),
])
AGENCIES = _fillers([
    ("سانا", "SANA"),
    ("رويترز", "Reuters"),
    ("وكالة الأنباء العراقية", "Iraqi News Agency", True, "2-0 1-1 0-2"),
    ("المرصد السوري لحقوق الإنسان", "Syrian Observatory for Human Rights", True,
     "1-0 0-1 2-2 2-3 3-4"),
    ("وكالة الصحافة الفرنسية", "Agence France-Presse", False, "0-0 2-1 1-1"),  # own; AFP
    ("وكالة تسنيم", "Tasnim news agency", False, "1-0 0-1 0-2"),
    ("شبكة رووداو", "Rudaw network", True, "1-0 0-1"),
    ("وكالة شفق نيوز", "Shafaq News agency", True, "1-0 2-1 0-2"),
])
TOWNS = _fillers([
    ("دمشق", "Damascus"), ("حلب", "Aleppo"), ("إدلب", "Idlib"), ("حمص", "Homs"),
    ("الرقة", "Raqqa"), ("دير الزور", "Deir ez-Zor"),
    ("الحسكة", "Hasakah"), ("القامشلي", "Qamishli"), ("منبج", "Manbij"), ("كوباني", "Kobani"),
    ("البوكمال", "Albu Kamal", False, "0-0 0-1"), ("بغداد", "Baghdad"), ("الموصل", "Mosul"),
    ("أربيل", "Erbil"), ("كركوك", "Kirkuk"), ("سنجار", "Sinjar"), ("تكريت", "Tikrit"),
    ("الأنبار", "Anbar"), ("الميادين", "Mayadin"), ("الشدادي", "Shaddadi"), ("هجين", "Hajin"),
    ("عانة", "Anah"), ("راوة", "Rawa"), ("تل تمر", "Tal Tamr"), ("عين عيسى", "Ain Issa"),
    ("الطبقة", "Tabqa"),
])
CROSSINGS = _fillers([
    ("معبر اليعربية", "Yarubiyah border crossing", True, "1-0 0-1 0-2"),
    ("معبر ربيعة", "Rabia border crossing", True, "1-0 0-1 0-2"),
    ("معبر القائم", "al-Qaim border crossing", True, "1-0 0-1 0-2"),
    ("معبر البوكمال", "Albu Kamal border crossing", True, "1-0 1-1 0-2 0-3"),
    ("معبر التنف", "al-Tanf border crossing", True, "1-0 0-1 0-2"),
    ("معبر سيمالكا", "Semalka crossing", True, "1-0 0-1"),
    ("معبر باب الهوى", "Bab al-Hawa border crossing", True, "1-0 2-1 0-2 0-3"),
    ("معبر نصيب", "Nassib border crossing", True, "1-0 0-1 0-2"),
    ("معبر تل الصفا", "Tal al-Safa crossing", True, "1-0 2-1 0-2"),
    ("معبر الجسر", "al-Jisr crossing", True, "1-0 0-1"),
])
DAYS = _fillers([
    ("يوم الاثنين", "on Monday"), ("يوم الثلاثاء", "on Tuesday"), ("يوم الأربعاء", "on Wednesday"),
    ("يوم الخميس", "on Thursday"), ("يوم الجمعة", "on Friday"), ("يوم السبت", "on Saturday"),
    ("يوم الأحد", "on Sunday"), ("أمس", "yesterday"), ("صباح اليوم", "this morning", False,
                                                          "1-0 0-1"),
])
MONTHS = [
    ("كانون الثاني", "January"), ("شباط", "February"), ("آذار", "March"), ("نيسان", "April"),
    ("أيار", "May"), ("حزيران", "June"), ("تموز", "July"), ("آب", "August"),
    ("أيلول", "September"), ("تشرين الأول", "October"), ("تشرين الثاني", "November"),
    ("كانون الأول", "December"),
]
QUOTES = _fillers([
    ("«لن ننسحب من المدينة»", '"We will not withdraw from the city"', False,
     "0-0 0-1 0-2 1-3 2-4 3-5 3-6"),
    ("«الحدود مغلقة حتى إشعار آخر»", '"The border is closed until further notice"', False,
     "0-0 0-1 1-2 1-3 2-4 4-5 3-6"),
    ("«قواتنا جاهزة للرد»", '"Our forces are ready to respond"', False, "0-0 0-1 1-2 1-3 2-4 2-5"),
    ("«الوضع الأمني مستقر»", '"The security situation is stable"', False, "0-0 1-1 0-2 2-3 2-4"),
    ("«لا نريد الحرب»", '"We do not want war"', False, "1-0 0-1 0-2 1-3 2-4"),
    ("«سنحمي أهلنا»", '"We will protect our people"', False, "0-0 0-1 0-2 1-3 1-4"),
    ("«المعبر سيفتح غدا»", '"The crossing will open tomorrow"', False, "0-0 0-1 1-2 1-3 2-4"),
    ("«نرفض أي تدخل خارجي»", '"We reject any foreign interference"', False,
     "0-0 0-1 1-2 3-3 2-4"),
    ("«الهجوم كان متوقعا»", '"The attack was expected"', False, "0-0 0-1 1-2 2-3"),
    ("«نحن ملتزمون بوقف إطلاق النار»", '"We are committed to the ceasefire"', False,
     "0-0 1-1 1-2 2-3 2-4 2-5 3-5 4-5"),
    ("«لا توجد قوات أجنبية هنا»", '"There are no foreign forces here"', False,
     "1-0 1-1 0-2 3-3 2-4 4-5"),
    ("«المفاوضات مستمرة»", '"The negotiations are continuing"', False, "0-0 0-1 1-2 1-3"),
])
POOLS = {"F": FORCES, "G": GOVERNMENTS, "P": PEOPLE, "N": AGENCIES, "L": TOWNS, "C": CROSSINGS,
         "D": DAYS, "Q": QUOTES}
# Pools whose slots sometimes hold Latin-script text: every pool of names, since tier-1 injection
# writes a rendering wherever the glossary finds a term (towns and crossings included).
LATIN_POOLS = "FGPNLC"

# (Arabic, English). Every template ends a sentence; see the module docstring for the notation.
TEMPLATES = [
    ("عبر|1 {K} جنديا|2 من|3 {F} الحدود|4 قرب|5 {L}.",
     "{K} soldiers|2 from|3 {F} crossed|1 the|4 border|4 near|5 {L}."),
    ("قال|1 {P} إن {F} سيطرت|3 على|3 {L} {D}.",
     "{P} said|1 {F} took|3 control|3 of|3 {L} {D}."),
    ("أعلن|1 {G} إغلاق|2 {C} أمام|3 حركة|4 الشاحنات.|5",
     "{G} announced|1 the|2 closure|2 of|2 {C} to|3 truck|5 traffic.|4"),
    ("أكد|1 {N} أن|2 {K} مقاتلا|3 من|4 {F} قتلوا|5 في|6 {L}.",
     "{N} reported|1 that|2 {K} fighters|3 from|4 {F} were|5 killed|5 in|6 {L}."),
    ("{F} تسيطر|1 على|1 {C} منذ|2 عام {Y}.",
     "{F} has|1 controlled|1 {C} since|2 {Y}."),
    ("نفى|1 {F} أي|2 وجود|3 لعناصره|4 في|5 {L}.",
     "{F} denied|1 any|2 presence|3 of|4 its|4 members|4 in|5 {L}."),
    ("وصل|1 وفد|2 من|3 {G} إلى|4 {L} {D}.",
     "A|2 delegation|2 from|3 {G} arrived|1 in|4 {L} {D}."),
    ("قال|1 {P} في|2 بيان:|3 {Q}",
     "{P} said|1 in|2 a|3 statement:|3 {Q}"),
    ("دعا|1 {P} {F} إلى|2 الانسحاب|3 من|4 {L}.",
     "{P} called|1 on|2 {F} to|3 withdraw|3 from|4 {L}."),
    ("اتهم|1 {G} {F} بقصف|2 {L} {D}.",
     "{G} accused|1 {F} of|2 shelling|2 {L} {D}."),
    ("أرسل|1 {F} {K} آلية|2 عسكرية|3 إلى|4 {C}.",
     "{F} sent|1 {K} military|3 vehicles|2 to|4 {C}."),
    ("قالت|1 مصادر|2 محلية|3 ل{N} إن|4 اشتباكات|5 اندلعت|6 بين|7 {F} و{F2} في|8 {L}.",
     "Local|3 sources|2 told|1,N {N} that|4 clashes|5 broke|6 out|6 between|7 {F} and|F2 {F2} "
     "in|8 {L}."),
    ("قال|1 {P} {D}: {Q}",
     "{P} said|1 {D}: {Q}"),
    ("انسحب|1 {F} من|2 {L} باتجاه|3 {L2}.",
     "{F} withdrew|1 from|2 {L} towards|3 {L2}."),
    ("أغلق|1 {F} {C} {D} بعد|2 هجوم|3 على|4 دورية|5 تابعة|6 ل{F2}.",
     "{F} closed|1 {C} {D} after|2 an|3 attack|3 on|4 a|5 patrol|5 of|6,F2 {F2}."),
    ("تبادل|1 {F} و{F2} إطلاق|2 النار|3 قرب|4 {C}.",
     "{F} and|F2 {F2} exchanged|1 fire|2,3 near|4 {C}."),
    ("قتل|1 {K} مدنيا|2 في|3 قصف|4 على|4 {L} {D}.",
     "{K} civilians|2 were|1 killed|1 in|3 shelling|4 of|4 {L} {D}."),
    ("أصيب|1 {K} عنصرا|2 من|3 {F} في|4 انفجار|5 عبوة|6 ناسفة|7 في|8 {L}.",
     "{K} members|2 of|3 {F} were|1 wounded|1 in|4 a|6 roadside|7 bomb|6 blast|5 in|8 {L}."),
    ("استقبل|1 {P} وفدا|2 من|3 {G} في|4 {L}.",
     "{P} received|1 a|2 delegation|2 from|3 {G} in|4 {L}."),
    ("بحث|1 {P} و{P2} الوضع|2 الأمني|3 في|4 {L}.",
     "{P} and|P2 {P2} discussed|1 the|2 security|3 situation|2 in|4 {L}."),
    ("ذكر|1 {N} أن|2 {F} نقل|3 {K} معتقلا|4 إلى|5 {L}.",
     "{N} reported|1 that|2 {F} moved|3 {K} detainees|4 to|5 {L}."),
    ("أعاد|1 {G} فتح|2 {C} أمام|3 المسافرين|4 {D}.",
     "{G} reopened|1,2 {C} to|3 travellers|4 {D}."),
    ("{P} يزور|1 {L} لبحث|2 التعاون|3 الأمني|4 مع|5 {G}.",
     "{P} visits|1 {L} to|2 discuss|2 security|4 cooperation|3 with|5 {G}."),
    ("شن|1 {F} هجوما|2 على|3 مواقع|4 {F2} في|5 محيط|6 {L}.",
     "{F} launched|1 an|2 attack|2 on|3 positions|4 of|4 {F2} around|5,6 {L}."),
    ("أعلن|1 {F} مقتل|2 {K} من|3 عناصر|4 {F2} خلال|5 الاشتباكات.|6",
     "{F} announced|1 that|2 {K} members|4 of|3 {F2} were|2 killed|2 in|5 the|6 clashes.|6"),
    ("عبرت|1 قافلة|2 من|3 {K} شاحنة|4 {C} باتجاه|5 {L}.",
     "A|2 convoy|2 of|3 {K} trucks|4 crossed|1 {C} towards|5 {L}."),
    ("أوقف|1 حرس|2 الحدود|3 {K} شخصا|4 حاولوا|5 عبور|6 {C}.",
     "Border|3 guards|2 stopped|1 {K} people|4 who|5 tried|5 to|6 cross|6 {C}."),
    ("قال|1 {N} إن {F} دخل|3 {L} {D} دون|4 مقاومة.|5",
     "{N} said|1 {F} entered|3 {L} {D} without|4 resistance.|5"),
    ("طالب|1 {G} {F} بتسليم|2 {C} إلى|3 {F2}.",
     "{G} demanded|1 that|2 {F} hand|2 over|2 {C} to|3 {F2}."),
    ("نشر|1 {F} {K} عنصرا|2 على|3 طول|3 الحدود|4 مع|5 {L}.",
     "{F} deployed|1 {K} members|2 along|3 the|4 border|4 with|5 {L}."),
    ("في|1 {M}، عبر|2 {K} جنديا|3 من|4 {F} إلى|5 {L}.",
     "On|1 {M}, {K} soldiers|3 from|4 {F} crossed|2 into|5 {L}."),
    ("صرح|1 {P} بأن|2 {F} لن|3 ينسحب|4 من|5 {L}.",
     "{P} stated|1 that|2 {F} would|3 not|3 withdraw|4 from|5 {L}."),
    ("أفاد|1 {N} بأن|2 طائرة|3 مسيرة|4 استهدفت|5 موقعا|6 ل{F} قرب|7 {C}.",
     "{N} reported|1 that|2 a|3 drone|3,4 struck|5 a|6 position|6 of|F {F} near|7 {C}."),
    ("هاجم|1 مسلحون|2 من|3 {F} نقطة|4 تفتيش|5 في|6 {L}.",
     "Gunmen|2 from|3 {F} attacked|1 a|4 checkpoint|4,5 in|6 {L}."),
    ("قال|1 {P} ل{N} إن|2 {F} و{F2} اتفقا|3 على|4 وقف|5 إطلاق|6 النار.|6",
     "{P} told|1,N {N} that|2 {F} and|F2 {F2} agreed|3 on|4 a|5 ceasefire.|5,6"),
    ("تسلم|1 {F} {C} من|2 {F2} {D}.",
     "{F} took|1 over|1 {C} from|2 {F2} {D}."),
    ("أعلن|1 {G} عن|2 عودة|3 {K} نازحا|4 إلى|5 {L}.",
     "{G} announced|1 the|3 return|3 of|3 {K} displaced|4 people|4 to|5 {L}."),
    ("{F} و{F2} يتبادلان|1 الاتهامات|2 بشأن|3 {L}.",
     "{F} and|F2 {F2} trade|1 accusations|2 over|3 {L}."),
    ("دعا|1 {G} إلى|2 التحقيق|3 في|4 مقتل|5 {K} مدنيا|6 في|7 {L}.",
     "{G} called|1 for|2 an|3 investigation|3 into|4 the|5 killing|5 of|5 {K} civilians|6 "
     "in|7 {L}."),
    ("ضبط|1 {F} شحنة|2 أسلحة|3 عند|4 {C}.",
     "{F} seized|1 an|3 arms|3 shipment|2 at|4 {C}."),
    ("أكد|1 {P} أن|2 {C} سيبقى|3 مفتوحا.|4",
     "{P} said|1 that|2 {C} would|3 remain|3 open.|4"),
    ("وقال|1 {P}: {Q}",
     "{P} added:|1 {Q}"),
    ("نقل|1 {N} عن|2 {P} قوله|3 إن|4 {F} يستعد|5 لدخول|6 {L}.",
     "{N} quoted|1 {P} as|3 saying|3 that|4 {F} was|5 preparing|5 to|6 enter|6 {L}."),
    ("قصف|1 {F} مواقع|2 تابعة|2 ل{F2} في|3 {L}.",
     "{F} shelled|1 positions|2 of|2,F2 {F2} in|3 {L}."),
    ("تحدث|1 {P} عن|2 انتهاكات|3 ارتكبها|4 {F} في|5 {L}.",
     "{P} spoke|1 of|2 abuses|3 committed|4 by|4 {F} in|5 {L}."),
    ("{N}: {F} يعزز|1 مواقعه|2 قرب|3 {C}.",
     "{N}: {F} reinforces|1 its|2 positions|2 near|3 {C}."),
    ("قال|1 {P} {D} إن|2 {K} عنصرا|3 من|4 {F} انشقوا|5 وانضموا|6 إلى|7 {F2}.",
     "{P} said|1 {D} that|2 {K} members|3 of|4 {F} defected|5 and|6 joined|6 {F2}."),
    ("ذكرت|1 مصادر|2 أمنية|3 أن {F} اعتقل|5 {P} في|6 {L}.",
     "Security|3 sources|2 said|1 {F} arrested|5 {P} in|6 {L}."),
    ("وصل|1 {P} إلى|2 {L} قادما|3 من|4 {L2}.",
     "{P} arrived|1 in|2 {L} from|3,4 {L2}."),
    ("أعلن|1 {G} و{G2} تشكيل|2 لجنة|3 مشتركة|4 لإدارة|5 {C}.",
     "{G} and|G2 {G2} announced|1 a|3 joint|4 committee|2,3 to|5 run|5 {C}."),
    ("قالت|1 {G} إن {F} يتحمل|3 مسؤولية|4 الهجوم|5 على|6 {L}.",
     "{G} said|1 {F} was|3 responsible|3,4 for|4 the|5 attack|5 on|6 {L}."),
    ("التقى|1 {P} ب{P2} لبحث|2 وضع|3 {C}.",
     "{P} met|1,P2 {P2} to|2 discuss|2 the|3 situation|3 at|3 {C}."),
    ("وبحسب|1 {N}، فإن {F} فقد|3 {K} عنصرا|4 في|5 {L}.",
     "According|1 to|1 {N}, {F} lost|3 {K} members|4 in|5 {L}."),
    ("هدد|1 {F} باستهداف|2 مواقع|3 {F2} إذا|4 لم|5 ينسحب|6 من|7 {L}.",
     "{F} threatened|1 to|2 target|2 positions|3 of|3 {F2} if|4 it|6 did|5 not|5 withdraw|6 "
     "from|7 {L}."),
    ("أعلن|1 {F} أنه|2 استعاد|3 السيطرة|4 على|5 {L} من|6 {F2}.",
     "{F} said|1 it|2 had|3 regained|3 control|4 of|5 {L} from|6 {F2}."),
    ("أطلق|1 {F} سراح|2 {K} أسيرا|3 من|4 {F2} عبر|5 {C}.",
     "{F} released|1,2 {K} prisoners|3 from|4 {F2} via|5 {C}."),
    ("أكدت|1 مصادر|2 في|3 {L} أن {F} انسحب|5 من|6 المدينة.|7",
     "Sources|2 in|3 {L} said|1 {F} had|5 withdrawn|5 from|6 the|7 city.|7"),
    ("رحب|1 {G} بقرار|2 {F} فتح|3 {C}.",
     "{G} welcomed|1 the|2 decision|2 of|2 {F} to|3 open|3 {C}."),
    ("عقد|1 {P} مؤتمرا|2 صحفيا|3 في|4 {L} {D}.",
     "{P} held|1 a|2 press|3 conference|2 in|4 {L} {D}."),
    ("أسقط|1 {F} طائرة|2 مسيرة|3 فوق|4 {L}.",
     "{F} shot|1 down|1 a|2 drone|2,3 over|4 {L}."),
    ("يتهم|1 {F} {F2} بخرق|2 الهدنة|3 في|4 {L}.",
     "{F} accuses|1 {F2} of|2 violating|2 the|3 truce|3 in|4 {L}."),
    ("قالت|1 {G=Syrian_government} إن {F=Syrian_Arab_Army} استعاد|3 {L}.",
     "{G} said|1 {F} had|3 retaken|3 {L}."),
    ("اتهمت|1 {G=Syrian_government} {F=Syrian_Arab_Army} و{F2} بقصف|2 {L}.",
     "{G} accused|1 {F} and|F2 {F2} of|2 shelling|2 {L}."),
    ("اتهم|1 {F=Qasad_forces} {F2=Popular_Mobilisation} بإرسال|2 مقاتلين|3 عبر|4 {C}.",
     "{F} accused|1 {F2} of|2 sending|2 fighters|3 across|4 {C}."),
    ("قال|1 {P} إن {F} لم|3 يعبر|4 الحدود|5 منذ|6 {M}.",
     "{P} said|1 {F} had|3 not|3 crossed|4 the|5 border|5 since|6 {M}."),
    ("أعلن|1 {G} أن|2 {C} سيغلق|3 اعتبارا|4 من|4 {M}.",
     "{G} announced|1 that|2 {C} would|3 close|3 from|4 {M}."),
    ("ونقل|1 {N} عن|2 مسؤول|3 قوله:|4 {Q}",
     "{N} quoted|1 an|3 official|3 as|4 saying:|4 {Q}"),
    ("انتشر|1 {F} في|2 {L} منذ|3 عام {Y}.",
     "{F} has|1 been|1 deployed|1 in|2 {L} since|3 {Y}."),
    ("قال|1 {P} في|2 مقابلة|3 مع|4 قناة|5 {X} إن {F} يسيطر|7 على|7 {L}.",
     "{P} told|1,4 {X} in|2 an|3 interview|3 that {F} controls|7 {L}."),
    ("اجتمع|1 {P} ب{G} في|2 {L} {D}.",
     "{P} met|1,G {G} in|2 {L} {D}."),
    ("وأضاف|1 {P} أن|2 {F} و{F2} سيعقدان|3 اجتماعا|4 في|5 {L} {D}.",
     "{P} added|1 that|2 {F} and|F2 {F2} would|3 meet|3,4 in|5 {L} {D}."),
    ("أكد|1 {G} أن|2 {K} عنصرا|3 من|4 {F} عبروا|5 إلى|6 {L} عبر|7 {C}.",
     "{G} said|1 that|2 {K} members|3 of|4 {F} crossed|5 into|6 {L} via|7 {C}."),
]

SLOT = re.compile(r"^(?P<pre>[^{]*)\{(?P<name>[A-Z]\d?)(?:=(?P<pick>[^}]+))?\}(?P<post>.*)$")
# Made-up Latin names are built from consonant-vowel syllables, so that they come in many shapes
# and SentencePiece cuts them into many different pieces: the model must learn to copy any piece,
# not a few memorised names.
SYLLABLES = [c + v for c in "bdfghjklmnprstvwz" for v in "aeiou"] + [
    "an", "el", "or", "us", "ren", "tas", "bel", "dur", "sel", "gor", "zem", "hav", "din", "kor"]
ACRONYM_LETTERS = "ABCDEFGHJKLMNPRSTUVWZ"
GENERIC_NOUNS = ["Forces", "Brigade", "Front", "Council", "Movement", "Army", "Party", "Command",
                 "Ministry", "Organization", "Battalion", "Agency"]
@dataclass
class Sentence:
    """A generated pair: the Arabic, the English, gold links, and where each slot went."""

    template: int
    source: str
    reference: str
    links: set[tuple[int, int]] = field(default_factory=set)
    fills: dict[str, Filler] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # slot -> its filler's chars


def _digits(number: int, rng: random.Random) -> str:
    """A number as Arabic news writes it: Arabic-Indic digits or Latin ones."""
    text = str(number)
    return text.translate(ARABIC_INDIC) if rng.random() < 0.5 else text


def _made_up_word(rng: random.Random, hyphen: bool = True) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()
    if rng.random() < 0.15:
        return "al-" + word
    if hyphen and rng.random() < 0.1:
        return f"{word}-{_made_up_word(rng, hyphen=False)}"
    return word


def _latin_name(rng: random.Random) -> Filler:
    """A made-up Latin-script name in one of the shapes that news and glossary renderings take:
    an acronym (sometimes dotted), one to three capitalised words (with al- and hyphens), an
    organisation ("the Davo Kel Front"), the same with its acronym in parentheses (a glossary
    first mention), or a name-led noun phrase ("the Rasu-led coalition"). The English copies it."""
    shape = rng.random()
    if shape < 0.25:
        letters = [rng.choice(ACRONYM_LETTERS) for _ in range(rng.randint(2, 5))]
        name = ".".join(letters) + "." if rng.random() < 0.1 else "".join(letters)
        return Filler(name, name, key=f"latin:{name}")
    words = [_made_up_word(rng) for _ in range(rng.randint(1, 3))]
    if shape < 0.6:
        name = " ".join(words)
        return Filler(name, name, key=f"latin:{name}")
    if shape < 0.9:
        words.append(rng.choice(GENERIC_NOUNS))
        name = " ".join(words)
        if shape >= 0.75:
            name += " (" + "".join(w.removeprefix("al-")[0] for w in words) + ")"
        return Filler(name, name, True, key=f"latin:{name}")
    name = f"{words[0]}-led {rng.choice(GENERIC_NOUNS).lower()}"
    return Filler(name, name, True, key=f"latin:{name}")


def _latin_filler(pool: str, rng: random.Random, injected: dict[str, list[Filler]]) -> Filler:
    """Latin text in a name's slot: a glossary rendering as tier-1 injection writes it into
    the Arabic (keeping the name's article), or a made-up name."""
    if injected.get(pool) and rng.random() < 0.5:
        return rng.choice(injected[pool])
    return _latin_name(rng)


def _dynamic(name: str, rng: random.Random) -> Filler:
    """Fillers made on the fly: counts, dates, years, Latin names."""
    if name == "K":
        number = rng.randint(11, 999)
        return Filler(_digits(number, rng), str(number))
    if name == "Y":
        year = rng.randint(2012, 2025)
        return Filler(_digits(year, rng), str(year))
    if name == "M":
        day = rng.randint(1, 28)
        month_ar, month_en = rng.choice(MONTHS)
        links = "0-0 1-1 2-1" if " " in month_ar else "0-0 1-1"
        return Filler(f"{_digits(day, rng)} {month_ar}", f"{day} {month_en}", links=links)
    return _latin_name(rng)


def _filler_links(filler: Filler) -> list[tuple[int, int]]:
    if filler.links:
        return [tuple(int(x) for x in pair.split("-")) for pair in filler.links.split()]
    ar, en = len(filler.ar.split()), len(filler.en.split())
    return [(min(j * ar // en, ar - 1), j) for j in range(en)]


def _attach(prefix: str, text: str) -> str:
    """Proclitics written onto a name: ل + ال contracts to لل; before Latin text, a space."""
    if not prefix:
        return text
    if not ("\u0600" <= text[0] <= "\u06ff"):
        return f"{prefix} {text}"
    if prefix.endswith("ل") and text.startswith("ال"):
        return prefix + text[1:]
    return prefix + text


def realise(index: int, fills: dict[str, Filler]) -> Sentence:
    """The sentence of template `index` with its slots filled by `fills`."""
    ar_template, en_template = TEMPLATES[index]
    ar_words: list[str] = []
    ar_tags: list[tuple[int, str]] = []
    slot_first: dict[str, int] = {}  # slot -> its first Arabic word
    slot_ar: dict[str, tuple[int, int]] = {}  # slot -> its filler's Arabic word range
    char_spans: dict[str, tuple[int, int]] = {}
    links: set[tuple[int, int]] = set()
    length = 0
    for token in ar_template.split():
        slot = SLOT.match(token)
        if slot:
            filler = fills[slot["name"]]
            text = _attach(slot["pre"], filler.ar) + slot["post"]
            words = text.split()
            start = length + (1 if ar_words else 0)
            clitic = len(text) - len(filler.ar) - len(slot["post"])
            char_spans[slot["name"]] = (start + clitic, start + clitic + len(filler.ar))
            slot_first[slot["name"]] = len(ar_words)
            extra = len(words) - len(filler.ar.split())  # a word of its own for a Latin clitic
            slot_ar[slot["name"]] = (len(ar_words) + extra, len(ar_words) + len(words))
        else:
            word, _, tags = token.partition("|")
            words = [word]
            for tag in filter(None, tags.split(",")):
                ar_tags.append((len(ar_words), tag))
        for word in words:
            length += len(word) + (1 if ar_words else 0)
            ar_words.append(word)

    en_words: list[str] = []
    for token in en_template.split():
        slot = SLOT.match(token)
        if slot:
            name = slot["name"]
            filler = fills[name]
            if filler.article:
                links.add((slot_first[name], len(en_words)))
                en_words.append("the")
            words = (slot["pre"] + filler.en + slot["post"]).split()
            first = slot_ar[name][0]
            for a, e in _filler_links(filler):
                links.add((first + a, len(en_words) + e))
            en_words.extend(words)
            continue
        word, _, tags = token.partition("|")
        for tag in filter(None, tags.split(",")):
            if tag in slot_first:
                links.add((slot_first[tag], len(en_words)))
            links.update((a, len(en_words)) for a, t in ar_tags if t == tag)
        en_words.append(word)
    reference = " ".join(en_words)
    reference = reference[0].upper() + reference[1:]
    return Sentence(index, " ".join(ar_words), reference, links, fills, char_spans)


def fill(index: int, rng: random.Random, latin_rate: float,
         injected: dict[str, list[Filler]]) -> dict[str, Filler]:
    """Random fillers for the slots of template `index`, distinct within a pool."""
    fills: dict[str, Filler] = {}
    for token in TEMPLATES[index][0].split():
        slot = SLOT.match(token)
        if not slot:
            continue
        name, pool = slot["name"], slot["name"][0]
        if slot["pick"]:
            fills[name] = next(f for f in POOLS[pool] if f.name.replace(" ", "_") == slot["pick"])
        elif pool in POOLS and pool in LATIN_POOLS and rng.random() < latin_rate:
            fills[name] = _latin_filler(pool, rng, injected)
        elif pool in POOLS:
            taken = {f.name for n, f in fills.items() if n[0] == pool}
            taken |= {p.replace("_", " ") for n, p in _picks(index) if n[0] == pool}
            fills[name] = rng.choice([f for f in POOLS[pool] if f.name not in taken])
        else:
            fills[name] = _dynamic(pool, rng)
    return fills


def _picks(index: int) -> list[tuple[str, str]]:
    return [(m["name"], m["pick"]) for t in TEMPLATES[index][0].split()
            if (m := SLOT.match(t)) and m["pick"]]


def generate(count: int, rng: random.Random, latin_rate: float,
             injected: dict[str, list[Filler]], exclude: set[str] = frozenset()) -> list[Sentence]:
    """`count` distinct sentences, templates in turn, none whose source is in `exclude`."""
    sentences, seen = [], set(exclude)
    index = 0
    while len(sentences) < count:
        sentence = realise(index % len(TEMPLATES), fill(index % len(TEMPLATES), rng, latin_rate,
                                                        injected))
        index += 1
        if sentence.source in seen:
            continue
        seen.add(sentence.source)
        sentences.append(sentence)
    return sentences


def injected_fillers(matcher) -> dict[str, list[Filler]]:
    """Per actor pool, the glossary renderings (target and first mention) of its actors, as
    Latin fillers that keep the actor's article: what tier-1 injection writes into the Arabic."""
    found: dict[str, list[Filler]] = {}
    for pool in LATIN_POOLS:
        for filler in POOLS[pool]:
            for match in matcher.find(filler.ar):
                entry = match.entry
                for form in dict.fromkeys(filter(None, (entry.target, entry.first_mention))):
                    found.setdefault(pool, []).append(
                        Filler(form, form, filler.article, key=f"latin:{form}"))
    return found


def house_reference(sentence: Sentence, matcher) -> str:
    """The reference with the glossary's renderings, as jisr requires them when the sentence is
    a document of its own (first mentions included): jisr's own plan of the term uses decides
    each rendering; it replaces the English of the slot the term was found in."""
    from glossary.enforce import plan
    from mt.document import Segment

    segment = Segment("house", 0, 0, "content", sentence.source, 0, len(sentence.source))
    fills = dict(sentence.fills)
    for use in plan([segment], matcher)[0]:
        name = next((n for n, (start, end) in sentence.spans.items()
                     if start < use.match.end and use.match.start < end), None)
        if name is None or sentence.spans[name][1] != use.match.end or use.covered_by:
            raise ValueError(f"template {sentence.template}: a glossary term not exactly a slot "
                             f"({use.match.surface!r} in {sentence.source!r})")
        fills[name] = Filler(fills[name].ar, use.form, fills[name].article)
    return realise(sentence.template, fills).reference
