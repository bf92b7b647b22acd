"""Build a randomly initialised MarianMT model with the file layout of Helsinki-NLP/opus-mt-ar-en.

The SentencePiece models are real (trained here on news-like sentences written for this script),
so tokenisation behaves like the real model's; the weights are random, so the English is nonsense.
Tests use the tiny shape; benchmarks use `--shape opus-mt-ar-en` for the real model's cost.

    python scripts/make_tiny_model.py OUTDIR [--shape tiny|opus-mt-ar-en] [--seed N]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Shape:
    d_model: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int  # 0: just the trained pieces; else padded with filler tokens
    spm_pieces: int  # asked of each SentencePiece model; the text supports no more than ~300
    init_std: float


# The real model's config.json values (DESIGN.md); "tiny" keeps tests fast. Its larger init_std
# makes the random model's output depend on the source (at 0.02 every input gives one output).
SHAPES = {
    "tiny": Shape(d_model=32, layers=2, heads=2, ffn=64, vocab_size=0, spm_pieces=1000,
                  init_std=0.3),
    "opus-mt-ar-en": Shape(d_model=512, layers=6, heads=8, ffn=2048, vocab_size=62834,
                           spm_pieces=2000, init_std=0.02),
}
MAX_POSITIONS = 512

AR_SUBJECTS = [
    "الرئيس", "وزير الخارجية", "رئيس الوزراء", "الحكومة", "البرلمان", "المتحدث باسم الجيش",
    "وزارة الصحة", "الأمم المتحدة", "البنك المركزي", "مجلس الأمن", "الشرطة", "المعارضة",
    "وزير المالية", "الاتحاد الأوروبي", "منظمة الصحة العالمية", "السلطات المحلية",
]
AR_VERBS = [
    "أعلن", "قال", "أكد", "نفى", "أشار إلى", "حذر من", "رحب", "دعا إلى", "ناقش", "كشف عن",
]
AR_OBJECTS = [
    "خطة جديدة لإعادة الإعمار", "اتفاق وقف إطلاق النار", "ارتفاع أسعار الوقود",
    "نتائج الانتخابات البرلمانية", "إجراءات لمكافحة الفساد", "زيارة رسمية إلى العاصمة",
    "مساعدات إنسانية للنازحين", "مشروع قانون الموازنة", "تعزيز التعاون الاقتصادي",
    "إطلاق سراح المعتقلين", "حماية المدنيين في المنطقة", "أزمة المياه في الجنوب",
    "افتتاح مستشفى جديد", "تراجع معدلات البطالة", "المفاوضات مع الدول المجاورة",
    "حملة تطعيم واسعة", "انقطاع التيار الكهربائي", "إصلاح النظام التعليمي",
]
AR_PLACES = [
    "في بغداد", "في القاهرة", "في دمشق", "في بيروت", "في عمّان", "في الرياض", "في الدوحة",
    "في تونس", "في الخرطوم", "في صنعاء", "في طرابلس", "في الرباط", "في غزة", "في الموصل",
]
AR_TIMES = [
    "يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "يوم الجمعة", "يوم السبت",
    "يوم الأحد", "صباح اليوم", "مساء أمس", "خلال الأسبوع الماضي", "في وقت سابق",
]
AR_EXTRA = [
    "وأضاف أن الوضع لا يزال صعباً.", "وذلك بحسب بيان رسمي.", "وفق ما نقلته وكالة الأنباء.",
    "وسط مخاوف من تصعيد جديد.", "بحضور عدد من المسؤولين.", "في ظل ظروف اقتصادية صعبة.",
]
AR_FIXED = [
    "قُتل 12 شخصاً وأصيب 35 آخرون في انفجار وقع قرب السوق.",
    "بلغت نسبة التضخم 4.5 في المئة خلال شهر أيار/مايو.",
    "قال المتحدث: «لن نقبل بأي حل لا يحترم إرادة الشعب».",
    "وصل عدد اللاجئين إلى أكثر من مليون ونصف المليون.",
    "هل ستنجح المفاوضات هذه المرة؟",
    "ارتفعت أسعار الذهب بنسبة 2% في الأسواق العالمية.",
    "أكدت قوات سوريا الديمقراطية (قسد) سيطرتها على المدينة.",
    "عُقد المؤتمر في الفترة من 3 إلى 5 تشرين الأول/أكتوبر 2023.",
    "جاء ذلك في مقابلة مع صحيفة «الشرق الأوسط» اللندنية.",
    "أعلنت شركة النفط الوطنية عن اكتشاف حقل غاز جديد في البحر المتوسط.",
    "تشهد البلاد موجة حر غير مسبوقة تجاوزت فيها الحرارة 50 درجة مئوية.",
    "وطالب المحتجون بتحسين الخدمات وتوفير فرص العمل للشباب.",
    "١٢٣ ٤٥٦ ٧٨٩ ٠ ، ؛ ؟ … \" ' - ( ) [ ] / : .",
    # every letter, so no Arabic character of a test maps to <unk>
    "ء آ أ ؤ إ ئ ا ب ة ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ى ي ـ ً ٌ ٍ َ ُ ِ ّ ْ ٰ ٱ",
]

EN_SUBJECTS = [
    "The president", "The foreign minister", "The prime minister", "The government",
    "Parliament", "An army spokesman", "The health ministry", "The United Nations",
    "The central bank", "The Security Council", "Police", "The opposition",
    "The finance minister", "The European Union", "The World Health Organization",
    "Local authorities",
]
EN_VERBS = [
    "announced", "said", "confirmed", "denied", "pointed to", "warned of", "welcomed",
    "called for", "discussed", "revealed",
]
EN_OBJECTS = [
    "a new reconstruction plan", "the ceasefire agreement", "rising fuel prices",
    "the results of the parliamentary elections", "measures to fight corruption",
    "an official visit to the capital", "humanitarian aid for displaced people",
    "the draft budget law", "stronger economic cooperation", "the release of detainees",
    "the protection of civilians in the region", "the water crisis in the south",
    "the opening of a new hospital", "falling unemployment", "talks with neighbouring countries",
    "a broad vaccination campaign", "power cuts", "reform of the education system",
]
EN_PLACES = [
    "in Baghdad", "in Cairo", "in Damascus", "in Beirut", "in Amman", "in Riyadh", "in Doha",
    "in Tunis", "in Khartoum", "in Sanaa", "in Tripoli", "in Rabat", "in Gaza", "in Mosul",
]
EN_TIMES = [
    "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
    "on Sunday", "this morning", "last night", "last week", "earlier",
]
EN_EXTRA = [
    "He added that the situation remains difficult.", "That is according to an official statement.",
    "The news agency reported it.", "Fears of a new escalation are growing.",
    "Several officials attended.", "The economy is under strain.",
]
EN_FIXED = [
    "Twelve people were killed and 35 others wounded in a blast near the market.",
    "Inflation reached 4.5 percent in May.",
    'The spokesman said: "We will not accept any solution that ignores the will of the people."',
    "The number of refugees has risen to more than one and a half million.",
    "Will the negotiations succeed this time?",
    "Gold prices rose 2% on world markets.",
    "The Syrian Democratic Forces (SDF) said they control the city.",
    "The conference was held from 3 to 5 October 2023.",
    "He spoke in an interview with the London-based newspaper Asharq Al-Awsat.",
    "The national oil company announced the discovery of a new gas field in the Mediterranean.",
    "The country is facing an unprecedented heatwave, with temperatures above 50 degrees Celsius.",
    "Protesters demanded better services and jobs for young people.",
    "0 1 2 3 4 5 6 7 8 9 , ; ? ! ... ' - ( ) [ ] / : . % $ & @ # + = * _",
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z",
]


def news_sentences(
    subjects: list[str],
    verbs: list[str],
    objects: list[str],
    places: list[str],
    times: list[str],
    extra: list[str],
    fixed: list[str],
    count: int,
    rng: random.Random,
) -> list[str]:
    """`count` varied news-like sentences composed from the given phrase lists."""
    combos = list(itertools.product(subjects, verbs, objects))
    rng.shuffle(combos)
    sentences = list(fixed)
    for subject, verb, obj in combos[:count]:
        sentence = f"{subject} {verb} {obj} {rng.choice(places)} {rng.choice(times)}."
        if rng.random() < 0.3:
            sentence += " " + rng.choice(extra)
        sentences.append(sentence)
    return sentences


def train_spm(sentences: list[str], path: Path, pieces: int, **options) -> list[str]:
    """Train a unigram SentencePiece model like Marian's; return its pieces. `options` go to
    the trainer."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        model_type="unigram",
        vocab_size=pieces,
        hard_vocab_limit=False,
        character_coverage=1.0,
        unk_id=1, bos_id=-1, eos_id=0, pad_id=-1,  # ids as in the opus-mt models
        unk_piece="<unk>", eos_piece="</s>",
        num_threads=1,
        minloglevel=2,
        **options,
    )
    path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def shared_vocab(source: list[str], target: list[str], size: int) -> dict[str, int]:
    """One vocabulary: </s> 0, <unk> 1, the pieces of both sides, fillers, <pad> last."""
    pieces = ["</s>", "<unk>"]
    seen = set(pieces)
    for piece in source + target:
        if piece not in seen:
            seen.add(piece)
            pieces.append(piece)
    if size and len(pieces) + 1 > size:
        raise ValueError(f"{len(pieces) + 1} pieces do not fit a vocabulary of {size}")
    pieces += [f"<filler_{i}>" for i in range(max(size - len(pieces) - 1, 0))]
    pieces.append("<pad>")
    return {piece: index for index, piece in enumerate(pieces)}


def write_tokenizer(out: Path, vocab: dict[str, int]) -> None:
    """vocab.json and the tokenizer files beside source.spm and target.spm in `out`."""
    from transformers import MarianTokenizer

    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    tokenizer = MarianTokenizer(
        str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json"),
        source_lang="ar", target_lang="en", separate_vocabs=False,
        model_max_length=MAX_POSITIONS,
    )
    tokenizer.save_pretrained(out)


def marian_config(vocab_size: int, pad: int, dims: Shape, **overrides):
    """A MarianConfig like opus-mt's: shared embeddings, pad as decoder start, eos 0."""
    from transformers import MarianConfig

    return MarianConfig(
        vocab_size=vocab_size, decoder_vocab_size=vocab_size,
        d_model=dims.d_model, encoder_layers=dims.layers, decoder_layers=dims.layers,
        encoder_attention_heads=dims.heads, decoder_attention_heads=dims.heads,
        encoder_ffn_dim=dims.ffn, decoder_ffn_dim=dims.ffn, init_std=dims.init_std,
        activation_function="swish", max_position_embeddings=MAX_POSITIONS,
        scale_embedding=True, static_position_embeddings=True,
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True,
        architectures=["MarianMTModel"], **overrides,
    )


def generation_config(pad: int):
    """opus-mt's generation defaults: beam 4, pad never generated."""
    from transformers import GenerationConfig

    return GenerationConfig(
        bad_words_ids=[[pad]], num_beams=4, max_length=MAX_POSITIONS, decoder_start_token_id=pad,
        pad_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
    )


def build_model(outdir: str | Path, shape: str = "tiny", seed: int = 0) -> Path:
    """Write a Marian model directory to `outdir` (created if needed) and return its path."""
    import torch
    from transformers import MarianMTModel

    if shape not in SHAPES:
        raise ValueError(f"Unknown shape {shape!r}; choose one of: {', '.join(SHAPES)}.")
    dims = SHAPES[shape]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    arabic = news_sentences(AR_SUBJECTS, AR_VERBS, AR_OBJECTS, AR_PLACES, AR_TIMES, AR_EXTRA,
                            AR_FIXED, 400, rng)
    english = news_sentences(EN_SUBJECTS, EN_VERBS, EN_OBJECTS, EN_PLACES, EN_TIMES, EN_EXTRA,
                             EN_FIXED, 400, rng)
    source_pieces = train_spm(arabic, out / "source.spm", dims.spm_pieces)
    target_pieces = train_spm(english, out / "target.spm", dims.spm_pieces)
    vocab = shared_vocab(source_pieces, target_pieces, dims.vocab_size)
    write_tokenizer(out, vocab)
    torch.manual_seed(seed)
    model = MarianMTModel(marian_config(len(vocab), vocab["<pad>"], dims)).eval()
    model.generation_config = generation_config(vocab["<pad>"])
    model.save_pretrained(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(build_model(args.outdir, args.shape, args.seed))


if __name__ == "__main__":
    main()
