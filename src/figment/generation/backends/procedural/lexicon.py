"""The vocabulary the procedural backend understands, in English and Italian.

Everything here is data. `plan.py` does the reading; this module only says which word means what.
Words are stored accent-free and lower-case (see `fold`), so "città" and "citta" match alike.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "animal", "bird", "insect", "aquatic", "person", "vehicle", "aircraft", "boat",
    "food", "object", "plant", "spirit", "celestial",
]  # fmt: skip
Facing = Literal["left", "right", "none"]

SETTINGS = (
    "beach", "ocean", "underwater", "city_street", "city_skyline", "forest", "mountains", "desert",
    "snowfield", "space", "room", "kitchen", "stage", "park", "countryside",
    # Issue 17: places people name that used to fall back to a park or countryside.
    "lake", "river", "savanna", "market", "cave", "moon", "mars", "classroom", "office", "cafe", "library",
)  # fmt: skip
# Place words that only say "there is water": an animal's own water (the dolphin's ocean) beats them.
WEAK_PLACE_WORDS = frozenset({"water", "acqua"})
# The sound bed of a place added in issue 17 is the nearest older place's (audio.py keys its beds by these).
SOUNDS_LIKE: dict[str, str] = {
    "lake": "beach", "river": "forest", "savanna": "desert", "market": "city_street", "cave": "space",
    "moon": "space", "mars": "desert", "classroom": "room", "office": "room", "cafe": "kitchen", "library": "room",
}  # fmt: skip
# Settings with open water a boat can float on.
WATER_SETTINGS = frozenset({"beach", "ocean", "lake", "river", "city_skyline"})
# Indoor settings: no sky, no weather.
INDOOR_SETTINGS = frozenset({"room", "kitchen", "stage", "classroom", "office", "cafe", "library", "cave"})
TIMES = ("dawn", "day", "sunset", "night")
WEATHERS = ("clear", "rain", "snow", "fog", "storm", "wind")
CAMERAS = (
    "static", "pan_left", "pan_right", "zoom_in", "zoom_out", "shake", "tracking", "slow_motion",
    "close_up", "drone", "pov", "time_lapse",
)  # fmt: skip
STYLES = (
    "natural", "cartoon", "neon", "noir", "vintage", "pastel",
    "anime", "claymation", "pixel_art", "watercolour", "oil_painting", "sketch", "vaporwave",
)  # fmt: skip
EMOTIONS = ("happy", "sad", "angry", "scared", "surprised", "sleepy", "love")
MOODS = ("happy", "calm", "spooky", "epic", "romantic", "sad")
ACTIONS = (
    "walk", "run", "jump", "fly", "swim", "dance", "spin", "fall", "drive", "float", "wave", "sleep",
    "sing", "sway", "sail", "idle", "eat",
)  # fmt: skip


def fold(word: str) -> str:
    """Lower-case and strip accents so spelling variants ("perché", "perche") meet in one key."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in text.split())


@dataclass(frozen=True, kw_only=True)
class Noun:
    key: str
    emoji: str
    kind: Kind
    faces: Facing
    words: tuple[str, ...]
    setting: str | None = None
    mood: str | None = None
    time: str | None = None
    # What it does when the prompt says nothing; None means the default for its kind.
    action: str | None = None


@dataclass(frozen=True, kw_only=True)
class Keyword:
    """A word (or several-word phrase) that selects one value of a plan field."""

    value: str
    words: tuple[str, ...]


def _n(
    key: str,
    emoji: str,
    kind: Kind,
    faces: Facing,
    words: str,
    *,
    setting: str | None = None,
    mood: str | None = None,
    time: str | None = None,
    action: str | None = None,
) -> Noun:
    return Noun(
        key=key,
        emoji=emoji,
        kind=kind,
        faces=faces,
        # Multi-word names ("ice_cream") are matched token by token, like keyword phrases.
        words=tuple(w.replace("_", " ") for w in _words(words)),
        setting=setting,
        mood=mood,
        time=time,
        action=action,
    )


def _k(value: str, words: str) -> Keyword:
    # Multi-word phrases are written with underscores in the tables and matched token by token.
    return Keyword(value=value, words=tuple(w.replace("_", " ") for w in _words(words)))


def _it_verb(*stems: str) -> str:
    """Common Italian forms (3rd person, plural, infinitive, gerund, imperfect) of regular verbs.

    A stem is written with its conjugation, e.g. "ball-are", "corr-ere", "dorm-ire".
    """
    endings = {
        "are": ("a", "ano", "are", "ando", "ava", "avano"),
        "ere": ("e", "ono", "ere", "endo", "eva", "evano"),
        "ire": ("e", "ono", "ire", "endo", "iva", "ivano"),
    }
    forms: list[str] = []
    for stem in stems:
        root, conj = stem.split("-")
        forms.extend(root + ending for ending in endings[conj])
    return " ".join(forms)


# The emoji face the way OpenMoji draws them; `faces` lets a sprite be mirrored to look where it goes.
NOUNS: tuple[Noun, ...] = (
    # Animals that walk.
    _n(
        "cat",
        "🐈",
        "animal",
        "left",
        "cat cats kitten kittens kitty gatto gatti gatta gatte gattino gattini micio gattina",
    ),
    _n(
        "dog",
        "🐕",
        "animal",
        "left",
        "dog puppy puppies doggo doggy pup corgi pug beagle chihuahua dachshund bulldog terrier shiba shiba_inu "
        "cane cani cagnolino cagnolini cucciolo cuccioli cucciolo_di_cane bassotto carlino",
    ),
    _n(
        "horse",
        "🐎",
        "animal",
        "left",
        "horse horses pony stallion cavallo cavalli cavallino puledro",
        setting="countryside",
    ),
    _n("cow", "🐄", "animal", "left", "cow cattle mucca mucche vacca", setting="countryside"),
    _n("pig", "🐖", "animal", "left", "pig piglet maiale maiali maialino", setting="countryside"),
    _n("sheep", "🐑", "animal", "left", "sheep lamb pecora pecore agnello", setting="countryside"),
    _n("goat", "🐐", "animal", "left", "goat capra capre", setting="mountains"),
    _n("chicken", "🐓", "animal", "left", "chicken hen rooster gallina galline gallo", setting="countryside"),
    _n("duck", "🦆", "animal", "left", "duck duckling anatra anatre paperella papera", setting="park"),
    _n("penguin", "🐧", "animal", "none", "penguin pinguino pinguini", setting="snowfield"),
    _n("turtle", "🐢", "animal", "left", "turtle tortoise tartaruga tartarughe", setting="beach"),
    _n("snake", "🐍", "animal", "right", "snake serpente serpenti", setting="desert"),
    _n("lizard", "🦎", "animal", "left", "lizard gecko lucertola lucertole geco", setting="desert"),
    _n("crocodile", "🐊", "animal", "right", "crocodile alligator coccodrillo coccodrilli"),
    _n(
        "dinosaur",
        "🦖",
        "animal",
        "right",
        "dinosaur dinosaurs dino trex t_rex tyrannosaurus raptor velociraptor triceratops stegosaurus dinosauro "
        "dinosauri tirannosauro",
        mood="epic",
    ),
    _n("dragon", "🐉", "bird", "right", "dragon drago draghi", setting="mountains", mood="epic"),
    _n("unicorn", "🦄", "animal", "left", "unicorn unicorno unicorni", mood="happy"),
    _n("elephant", "🐘", "animal", "left", "elephant elefante elefanti"),
    _n("giraffe", "🦒", "animal", "left", "giraffe giraffa giraffe"),
    _n("zebra", "🦓", "animal", "left", "zebra zebre"),
    _n("lion", "🦁", "animal", "none", "lion lioness leone leoni leonessa"),
    _n("tiger", "🐅", "animal", "left", "tiger tigre tigri", setting="forest"),
    _n("leopard", "🐆", "animal", "left", "leopard cheetah leopardo ghepardo"),
    _n("monkey", "🐒", "animal", "left", "monkey scimmia scimmie scimmietta", setting="forest"),
    _n("gorilla", "🦍", "animal", "none", "gorilla gorilla", setting="forest"),
    _n("bear", "🐻", "animal", "none", "bear bears grizzly orso orsi orsetto", setting="forest"),
    _n("polar_bear", "🐻\u200d❄️", "animal", "left", "polar_bear orso_polare", setting="snowfield"),
    _n("panda", "🐼", "animal", "none", "panda"),
    _n(
        "rabbit",
        "🐇",
        "animal",
        "right",
        "rabbit bunny bunnies hare coniglio conigli coniglietto coniglietti lepre",
        setting="park",
    ),
    _n("mouse", "🐁", "animal", "left", "mouse mice rat topo topi topolino ratto"),
    _n("squirrel", "🐿️", "animal", "left", "squirrel scoiattolo scoiattoli", setting="forest"),
    _n("fox", "🦊", "animal", "none", "fox volpe volpi", setting="forest"),
    _n("wolf", "🐺", "animal", "none", "wolf wolves lupo lupi", setting="forest", time="night"),
    _n("deer", "🦌", "animal", "left", "deer reindeer cervo cervi renna", setting="forest"),
    _n("camel", "🐪", "animal", "left", "camel cammello cammelli", setting="desert"),
    _n("frog", "🐸", "animal", "none", "frog toad rana rane rospo", setting="park"),
    _n("hedgehog", "🦔", "animal", "left", "hedgehog riccio ricci", setting="forest"),
    _n("kangaroo", "🦘", "animal", "left", "kangaroo canguro canguri"),
    _n("snail", "🐌", "animal", "right", "snail lumaca lumache chiocciola"),
    _n("flamingo", "🦩", "animal", "left", "flamingo fenicottero fenicotteri", setting="beach"),
    _n("crab", "🦀", "animal", "none", "crab granchio granchi", setting="beach"),
    _n("hamster", "🐹", "animal", "none", "hamster criceto criceti", setting="room"),
    _n("sloth", "🦥", "animal", "none", "sloth bradipo bradipi", setting="forest"),
    _n("otter", "🦦", "aquatic", "left", "otter lontra lontre"),
    _n("seal", "🦭", "aquatic", "left", "seal foca foche", setting="snowfield"),
    # Animals that fly.
    _n(
        "bird",
        "🐦",
        "bird",
        "right",
        "bird birds birdie sparrow robin songbird uccello uccelli uccellino uccellini passero pettirosso",
    ),
    _n("eagle", "🦅", "bird", "left", "eagle hawk aquila aquile falco", setting="mountains", mood="epic"),
    _n("owl", "🦉", "bird", "none", "owl gufo gufi civetta", setting="forest", time="night"),
    _n("parrot", "🦜", "bird", "right", "parrot pappagallo pappagalli", setting="forest"),
    _n("swan", "🦢", "bird", "left", "swan cigno cigni", setting="park", mood="romantic"),
    _n("butterfly", "🦋", "insect", "none", "butterfly butterflies farfalla farfalle", setting="park"),
    _n("bee", "🐝", "insect", "right", "bee ape api", setting="park"),
    _n("ladybug", "🐞", "insect", "none", "ladybug ladybird coccinella coccinelle", setting="park"),
    _n("spider", "🕷️", "insect", "none", "spider ragno ragni", mood="spooky"),
    _n("bat", "🦇", "bird", "none", "bat pipistrello pipistrelli", time="night", mood="spooky"),
    # Animals that swim.
    _n(
        "fish",
        "🐟",
        "aquatic",
        "right",
        "fish fishes goldfish pesce pesci pesciolino pesce_rosso",
        setting="underwater",
    ),
    _n(
        "tropical_fish",
        "🐠",
        "aquatic",
        "left",
        "tropical_fish clownfish clown_fish nemo pesce_tropicale pesce_pagliaccio pesci_pagliaccio "
        "pesciolino_tropicale",
        setting="underwater",
    ),
    _n("dolphin", "🐬", "aquatic", "left", "dolphin delfino delfini", setting="ocean"),
    _n("whale", "🐋", "aquatic", "left", "whale balena balene", setting="ocean"),
    _n("shark", "🦈", "aquatic", "right", "shark squalo squali", setting="underwater"),
    _n("octopus", "🐙", "aquatic", "none", "octopus polpo polipo piovra", setting="underwater"),
    _n("jellyfish", "🪼", "aquatic", "none", "jellyfish medusa meduse", setting="underwater"),
    # People. Generic people may switch to an action pose (see PERSON_POSES).
    _n(
        "person",
        "🧑",
        "person",
        "none",
        "person people human somebody someone crowd persona persone qualcuno gente folla",
    ),
    _n("man", "👨", "person", "none", "man men guy uomo uomini signore tizio"),
    _n("woman", "👩", "person", "none", "woman women lady donna donne signora"),
    _n("girl", "👧", "person", "none", "girl ragazza ragazze bambina bambine"),
    _n("boy", "👦", "person", "none", "boy ragazzo ragazzi bambino bambini"),
    _n("couple", "👫", "person", "none", "couple lovers coppia fidanzati innamorati", mood="romantic"),
    _n("kid", "🧒", "person", "none", "kid kids child children bimbo bimbi bimba bimbe"),
    _n("baby", "👶", "person", "none", "baby babies neonato neonata bebe"),
    _n(
        "grandparent",
        "🧓",
        "person",
        "none",
        "grandma granny grandpa grandmother grandfather nonno nonna nonni nonnina nonnino",
    ),
    _n(
        "police",
        "👮",
        "person",
        "none",
        "police policeman policewoman cop officer poliziotto poliziotti poliziotta carabiniere vigile",
    ),
    _n(
        "detective", "🕵️", "person", "none", "detective detectives spy investigator detective_privato investigatore spia"
    ),
    _n("astronaut", "🧑\u200d🚀", "person", "none", "astronaut spaceman astronauta astronauti", setting="space"),
    _n("wizard", "🧙", "person", "none", "wizard witch mage magician sorceress mago maghi strega streghe", mood="epic"),
    _n("vampire", "🧛", "person", "none", "vampire dracula vampiro vampiri", time="night", mood="spooky"),
    _n("zombie", "🧟", "person", "none", "zombie zombi", time="night", mood="spooky"),
    _n("ghost", "👻", "spirit", "none", "ghost spirit fantasma fantasmi spettro", time="night", mood="spooky"),
    _n("robot", "🤖", "person", "none", "robot robots android"),
    _n("alien", "👽", "person", "none", "alien extraterrestrial alieno alieni marziano", setting="space"),
    _n("mermaid", "🧜", "aquatic", "none", "mermaid merman sirena sirene", setting="underwater"),
    _n("ninja", "🥷", "person", "none", "ninja samurai"),
    _n("superhero", "🦸", "person", "none", "superhero hero supereroe supereroi eroe", mood="epic"),
    _n("prince", "🤴", "person", "none", "prince king principe re", mood="epic"),
    _n("princess", "👸", "person", "none", "princess queen principessa regina"),
    _n(
        "chef",
        "🧑\u200d🍳",
        "person",
        "none",
        "chef cook baker cuoco cuoca pasticcere panettiere pizzaiolo",
        setting="kitchen",
    ),
    _n("dancer", "💃", "person", "none", "dancer ballerina ballerino ballerine", setting="stage"),
    _n("singer", "🧑\u200d🎤", "person", "none", "singer rockstar cantante cantanti", setting="stage"),
    _n("clown", "🤡", "person", "none", "clown pagliaccio pagliacci", mood="happy"),
    _n("santa", "🎅", "person", "none", "santa babbo_natale", setting="snowfield", mood="happy"),
    _n("cowboy", "🤠", "person", "none", "cowboy cowgirl", setting="desert"),
    _n("elf", "🧝", "person", "none", "elf elves elfo elfi", setting="forest"),
    _n("fairy", "🧚", "spirit", "none", "fairy fairies fata fate", setting="forest", mood="calm"),
    _n("bride", "👰", "person", "none", "bride sposa", mood="romantic"),
    _n("groom", "🤵", "person", "none", "groom sposo", mood="romantic"),
    _n("doctor", "🧑\u200d⚕️", "person", "none", "doctor nurse dottore dottoressa medico infermiere"),
    _n("teacher", "🧑\u200d🏫", "person", "none", "teacher professor insegnante maestro maestra professore"),
    _n("firefighter", "🧑\u200d🚒", "person", "none", "firefighter fireman pompiere pompieri"),
    _n("programmer", "🧑\u200d💻", "person", "none", "programmer developer coder programmatore"),
    _n("snowman", "⛄", "object", "none", "snowman pupazzo_di_neve", setting="snowfield", action="idle"),
    # Vehicles.
    _n("car", "🚗", "vehicle", "left", "car cars auto automobile macchina macchine macchinina", setting="city_street"),
    _n("taxi", "🚕", "vehicle", "left", "taxi cab", setting="city_street"),
    _n("bus", "🚌", "vehicle", "left", "bus autobus pullman", setting="city_street"),
    _n("police_car", "🚓", "vehicle", "left", "police_car auto_della_polizia", setting="city_street"),
    _n("ambulance", "🚑", "vehicle", "left", "ambulance ambulanza", setting="city_street"),
    _n("fire_truck", "🚒", "vehicle", "left", "fire_truck fire_engine camion_dei_pompieri", setting="city_street"),
    _n("truck", "🚚", "vehicle", "left", "truck lorry van camion furgone", setting="city_street"),
    _n("tractor", "🚜", "vehicle", "left", "tractor trattore trattori", setting="countryside"),
    _n("race_car", "🏎️", "vehicle", "left", "race_car racecar formula_1 auto_da_corsa", mood="epic"),
    _n("motorcycle", "🏍️", "vehicle", "left", "motorcycle motorbike moto motocicletta vespa scooter"),
    _n("bicycle", "🚲", "vehicle", "none", "bicycle bike bici bicicletta", setting="park"),
    _n("kick_scooter", "🛴", "vehicle", "left", "kick_scooter monopattino"),
    _n("skateboard", "🛹", "vehicle", "none", "skateboard skate"),
    _n("train", "🚂", "vehicle", "left", "train locomotive treno treni locomotiva", setting="countryside"),
    _n("tram", "🚃", "vehicle", "left", "tram streetcar", setting="city_street"),
    _n("rocket", "🚀", "aircraft", "none", "rocket spaceship razzo razzi astronave", setting="space"),
    _n("airplane", "✈️", "aircraft", "none", "airplane plane aeroplane jet aereo aerei aeroplano"),
    _n("helicopter", "🚁", "aircraft", "right", "helicopter elicottero"),
    _n("ufo", "🛸", "aircraft", "none", "ufo flying_saucer disco_volante", setting="space"),
    _n(
        "balloon",
        "🎈",
        "aircraft",
        "none",
        "balloon hot_air_balloon palloncino palloncini mongolfiera",
        mood="happy",
        action="float",
    ),
    _n("parachute", "🪂", "aircraft", "none", "parachute paracadute"),
    _n(
        "sailboat",
        "⛵",
        "boat",
        "none",
        "sailboat boat yacht paper_boat toy_boat barca barche barca_a_vela veliero barchetta_di_carta",
        setting="ocean",
    ),
    _n("speedboat", "🚤", "boat", "none", "speedboat motorboat motoscafo", setting="ocean"),
    _n(
        "ship",
        "🚢",
        "boat",
        "none",
        "ship cruise pirate_ship pirate_boat galleon nave navi transatlantico nave_pirata galeone",
        setting="ocean",
    ),
    _n("canoe", "🛶", "boat", "none", "canoe kayak canoa", setting="countryside"),
    # Food.
    _n("pizza", "🍕", "food", "none", "pizza pizze pizzas", mood="happy"),
    _n("burger", "🍔", "food", "none", "burger hamburger cheeseburger"),
    _n("hot_dog", "🌭", "food", "none", "hot_dog hotdog"),
    _n("fries", "🍟", "food", "none", "fries chips patatine"),
    _n("ice_cream", "🍦", "food", "none", "ice_cream gelato gelati", setting="beach", mood="happy"),
    _n("donut", "🍩", "food", "none", "donut doughnut ciambella ciambelle"),
    _n("cake", "🎂", "food", "none", "cake birthday torta torte compleanno", mood="happy"),
    _n("cookie", "🍪", "food", "none", "cookie biscuit biscotto biscotti", setting="kitchen"),
    _n("chocolate", "🍫", "food", "none", "chocolate cioccolato cioccolata"),
    _n("apple", "🍎", "food", "none", "apple mela mele"),
    _n("banana", "🍌", "food", "none", "banana banane"),
    _n("strawberry", "🍓", "food", "none", "strawberry fragola fragole"),
    _n("watermelon", "🍉", "food", "none", "watermelon anguria cocomero", setting="beach"),
    _n("grapes", "🍇", "food", "none", "grapes grape uva"),
    _n("cherry", "🍒", "food", "none", "cherry cherries ciliegia ciliegie"),
    _n("lemon", "🍋", "food", "none", "lemon limone limoni"),
    _n("orange_fruit", "🍊", "food", "none", "tangerine arancia arance mandarino"),
    _n("avocado", "🥑", "food", "none", "avocado"),
    _n("carrot", "🥕", "food", "none", "carrot carota carote"),
    _n("pasta", "🍝", "food", "none", "pasta spaghetti noodles lasagna", setting="kitchen"),
    _n("sushi", "🍣", "food", "none", "sushi"),
    _n("taco", "🌮", "food", "none", "taco tacos"),
    _n("popcorn", "🍿", "food", "none", "popcorn"),
    _n("coffee", "☕", "food", "none", "coffee espresso cappuccino caffe", setting="kitchen"),
    _n("beer", "🍺", "food", "none", "beer birra birre"),
    _n("wine", "🍷", "food", "none", "wine vino", mood="romantic"),
    _n("croissant", "🥐", "food", "none", "croissant cornetto brioche"),
    _n("bread", "🍞", "food", "none", "bread toast pane"),
    _n("cheese", "🧀", "food", "none", "cheese formaggio mozzarella parmigiano"),
    _n("egg", "🥚", "food", "none", "egg uovo uova"),
    # Objects.
    _n("ball", "⚽", "object", "none", "ball football soccer palla pallone calcio", setting="park", action="jump"),
    _n("basketball", "🏀", "object", "none", "basketball", action="jump"),
    _n("guitar", "🎸", "object", "none", "guitar chitarra chitarre", setting="stage"),
    _n("piano", "🎹", "object", "none", "piano keyboard pianoforte", setting="stage"),
    _n("drum", "🥁", "object", "none", "drum drums tamburo batteria", setting="stage"),
    _n("trumpet", "🎺", "object", "none", "trumpet tromba"),
    _n("violin", "🎻", "object", "none", "violin violino", mood="romantic"),
    _n("microphone", "🎤", "object", "none", "microphone mic karaoke microfono", setting="stage"),
    _n("phone", "📱", "object", "none", "phone smartphone telefono cellulare"),
    _n("laptop", "💻", "object", "none", "laptop computer portatile", setting="room"),
    _n("book", "📚", "object", "none", "book books libro libri", setting="room"),
    _n("umbrella", "☂️", "object", "none", "umbrella ombrello ombrelli"),
    _n("gift", "🎁", "object", "none", "gift present regalo regali", mood="happy", action="jump"),
    _n("kite", "🪁", "aircraft", "none", "kite aquilone aquiloni", setting="beach"),
    _n("lantern", "🏮", "object", "none", "lantern lanterna lanterne", time="night", action="float"),
    _n("diamond", "💎", "object", "none", "diamond gem jewel diamante gioiello"),
    _n("crown", "👑", "object", "none", "crown corona", mood="epic"),
    _n("hat", "🎩", "object", "none", "hat cappello"),
    _n("teddy_bear", "🧸", "object", "none", "teddy teddy_bear orsacchiotto peluche", setting="room", action="idle"),
    _n("pumpkin", "🎃", "object", "none", "pumpkin jack_o_lantern zucca zucche", time="night", mood="spooky"),
    _n("skull", "💀", "object", "none", "skull skeleton teschio scheletro", mood="spooky", action="float"),
    _n("heart", "❤️", "object", "none", "heart hearts love cuore cuori amore", mood="romantic"),
    _n("sword", "🗡️", "object", "none", "sword dagger spada spade", mood="epic"),
    _n("shield", "🛡️", "object", "none", "shield scudo"),
    _n("clock", "⏰", "object", "none", "clock alarm orologio sveglia"),
    _n("lamp", "💡", "object", "none", "lamp lightbulb bulb lampada lampadina"),
    _n(
        "candle",
        "🕯️",
        "object",
        "none",
        "candle candles candela candele candelina candeline",
        mood="romantic",
        action="idle",
    ),
    _n("magic_wand", "🪄", "object", "none", "wand magic bacchetta magia", mood="happy"),
    _n("house", "🏠", "object", "none", "house cottage villetta casetta", action="idle"),
    _n("castle", "🏰", "object", "none", "castle palace castello castelli", mood="epic", action="idle"),
    # Nature and sky.
    _n("star", "⭐", "celestial", "none", "star stella stelle", time="night"),
    _n("moon", "🌙", "celestial", "none", "moon luna", time="night"),
    _n("sun", "☀️", "celestial", "none", "sun sole", time="day"),
    _n("cloud", "☁️", "celestial", "none", "cloud clouds nuvola nuvole"),
    _n("rainbow", "🌈", "celestial", "none", "rainbow arcobaleno", mood="happy"),
    _n("planet", "🪐", "celestial", "none", "planet saturn pianeta pianeti saturno", setting="space"),
    _n("earth", "🌍", "celestial", "none", "earth globe world mondo pianeta_terra", setting="space"),
    _n(
        "comet",
        "☄️",
        "celestial",
        "none",
        "comet meteor asteroid cometa meteora asteroide",
        setting="space",
        action="fly",
    ),
    _n("fire", "🔥", "object", "none", "fire flame flames campfire fuoco fiamma fiamme falo", action="idle"),
    _n("snowflake", "❄️", "celestial", "none", "snowflake fiocco_di_neve"),
    _n(
        "flower",
        "🌸",
        "plant",
        "none",
        "flower flowers blossom blossoms spring springtime fiore fiori primavera",
        setting="park",
    ),
    _n("rose", "🌹", "plant", "none", "rose roses", mood="romantic"),
    _n("sunflower", "🌻", "plant", "none", "sunflower girasole girasoli", setting="countryside"),
    _n("tulip", "🌷", "plant", "none", "tulip tulipano tulipani", setting="park"),
    _n(
        "tree",
        "🌳",
        "plant",
        "none",
        "tree trees branch branches oak treetop albero alberi quercia ramo rami",
        setting="park",
    ),
    _n("pine", "🌲", "plant", "none", "pine fir christmas_tree pino pini abete abeti", setting="forest"),
    _n("palm", "🌴", "plant", "none", "palm palm_tree palma palme", setting="beach"),
    _n("cactus", "🌵", "plant", "none", "cactus cacti", setting="desert"),
    _n("mushroom", "🍄", "plant", "none", "mushroom fungo funghi", setting="forest"),
    _n("leaf", "🍁", "plant", "none", "leaf leaves foglia foglie autumn autunno"),
    _n("volcano", "🌋", "object", "none", "volcano vulcano vulcani", setting="mountains", mood="epic", action="idle"),
    _n("shell", "🐚", "object", "none", "shell seashell conchiglia conchiglie", setting="beach", action="idle"),
    # ---- The wider vocabulary (issue 17): what people type into short-video generators. ----
    # Dog breeds and other kinds of an animal read as the animal itself.
    _n("poodle", "🐩", "animal", "left", "poodle poodles barboncino barboncini barbone", setting="park"),
    _n(
        "guide_dog",
        "🦮",
        "animal",
        "left",
        "guide_dog labrador labradors retriever golden_retriever "
        "cane_guida husky huskies shepherd german_shepherd pastore_tedesco dalmatian dalmata",
    ),
    _n("sauropod", "🦕", "animal", "left", "brontosaurus brachiosaurus diplodocus sauropod brontosauro", mood="epic"),
    _n("bison", "🦬", "animal", "left", "bison buffalo bisonte bufalo", setting="countryside"),
    _n("ox", "🐂", "animal", "left", "ox bull toro buoi bue", setting="countryside"),
    _n("hippo", "🦛", "animal", "left", "hippo hippopotamus ippopotamo ippopotami", setting="savanna"),
    _n("rhino", "🦏", "animal", "left", "rhino rhinoceros rinoceronte rinoceronti", setting="savanna"),
    _n("llama", "🦙", "animal", "left", "llama alpaca lama alpaca", setting="mountains"),
    _n("raccoon", "🦝", "animal", "none", "raccoon procione", setting="forest"),
    _n("badger", "🦡", "animal", "left", "badger tasso", setting="forest"),
    _n("beaver", "🦫", "animal", "left", "beaver castoro", setting="river"),
    _n("skunk", "🦨", "animal", "left", "skunk puzzola", setting="forest"),
    _n("chipmunk", "🐿️", "animal", "left", "chipmunk", setting="forest"),
    _n("koala", "🐨", "animal", "none", "koala koalas", setting="forest"),
    _n("orangutan", "🦧", "animal", "none", "orangutan chimp chimpanzee orango scimpanze", setting="forest"),
    _n("mammoth", "🦣", "animal", "left", "mammoth mammut", setting="snowfield", mood="epic"),
    _n("ant", "🐜", "insect", "left", "ant ants formica formiche", setting="park", action="walk"),
    _n("beetle", "🪲", "insect", "none", "beetle bug scarabeo insetto", setting="park", action="walk"),
    _n("caterpillar", "🐛", "insect", "left", "caterpillar worm bruco verme", setting="park", action="walk"),
    _n("mosquito", "🦟", "insect", "none", "mosquito zanzara mosca"),
    _n("scorpion", "🦂", "animal", "left", "scorpion scorpione", setting="desert"),
    _n("dodo", "🦤", "bird", "left", "dodo", action="walk"),
    _n("peacock", "🦚", "bird", "left", "peacock pavone", setting="park", action="walk"),
    _n("turkey", "🦃", "bird", "left", "turkey tacchino", setting="countryside", action="walk"),
    _n("rooster_chick", "🐥", "bird", "left", "chick chicks pulcino pulcini", setting="countryside", action="walk"),
    _n("dove", "🕊️", "bird", "right", "dove pigeon colomba piccione piccioni", setting="city_skyline"),
    _n("goose", "🪿", "bird", "left", "goose geese oca oche", setting="lake"),
    _n("crow", "🐦‍⬛", "bird", "right", "crow raven corvo corvi", mood="spooky"),
    _n("phoenix", "🐦‍🔥", "bird", "right", "phoenix fenice", mood="epic"),
    _n("seal_pup", "🦭", "aquatic", "left", "sea_lion walrus tricheco leone_marino", setting="snowfield"),
    _n("shrimp", "🦐", "aquatic", "left", "shrimp prawn gambero gamberi", setting="underwater"),
    _n("lobster", "🦞", "aquatic", "left", "lobster aragosta astice", setting="underwater"),
    _n("squid", "🦑", "aquatic", "none", "squid calamaro calamari seppia", setting="underwater"),
    _n("blowfish", "🐡", "aquatic", "left", "blowfish pufferfish pesce_palla", setting="underwater"),
    _n("coral", "🪸", "plant", "none", "coral corals corallo coralli", setting="underwater"),
    # People by role: the role's own figure where one is drawn (🏂 is a snowboarder on a board).
    _n("toddler", "🧒", "person", "none", "toddler toddlers little_kid bambinetto bimbetto piccolino piccolina"),
    _n("snowboarder", "🏂", "person", "left", "snowboarder snowboarding snowboard", setting="snowfield", action="sail"),
    _n("skier", "⛷️", "person", "left", "skier sciatore sciatrice", setting="snowfield", action="sail"),
    _n("surfer", "🏄", "person", "left", "surfer surfers surfista surfisti", setting="ocean", action="sail"),
    _n("swimmer", "🏊", "person", "left", "swimmer nuotatore nuotatrice", setting="ocean", action="swim"),
    _n("climber", "🧗", "person", "none", "climber alpinist scalatore alpinista arrampicatore", setting="mountains"),
    _n("cyclist", "🚴", "person", "left", "cyclist biker ciclista ciclisti", action="drive"),
    _n(
        "mountain_biker",
        "🚵",
        "person",
        "left",
        "mountain_biker mountain_bike mtb",
        setting="mountains",
        action="drive",
    ),
    _n("jockey", "🏇", "person", "left", "jockey horse_rider fantino", setting="countryside", action="run"),
    _n("runner", "🏃", "person", "left", "runner jogger runners corridore podista", action="run"),
    _n("gymnast", "🤸", "person", "none", "gymnast acrobat ginnasta acrobata", action="spin"),
    _n("juggler", "🤹", "person", "none", "juggler giocoliere", setting="stage", action="jump"),
    _n("weightlifter", "🏋️", "person", "none", "weightlifter bodybuilder pesista palestra gym", action="jump"),
    _n("golfer", "🏌️", "person", "none", "golfer golf golfista", setting="park", action="idle"),
    _n("boxer", "🥊", "object", "none", "boxer boxing pugile boxe", action="jump"),
    _n("fencer", "🤺", "person", "none", "fencer scherma schermidore", action="jump"),
    _n(
        "farmer",
        "🧑‍🌾",
        "person",
        "none",
        "farmer farmers gardener contadino contadina agricoltore giardiniere",
        setting="countryside",
    ),
    _n("mechanic", "🧑‍🔧", "person", "none", "mechanic plumber meccanico idraulico"),
    _n("scientist", "🧑‍🔬", "person", "none", "scientist chemist scienziato scienziata chimico", setting="room"),
    _n("artist", "🧑‍🎨", "person", "none", "artist painter pittore pittrice artista", setting="room"),
    _n("pilot", "🧑‍✈️", "person", "none", "pilot captain pilota capitano"),
    _n("student", "🧑‍🎓", "person", "none", "student graduate studente studentessa laureato", setting="classroom"),
    _n("worker", "👷", "person", "none", "worker builder construction_worker operaio muratore"),
    _n("guard", "💂", "person", "none", "guard soldier soldiers guardia soldato soldati"),
    _n("judge", "🧑‍⚖️", "person", "none", "judge lawyer giudice avvocato", setting="room"),
    _n(
        "office_worker",
        "🧑‍💼",
        "person",
        "none",
        "businessman businesswoman manager boss impiegato capo",
        setting="office",
    ),
    _n("genie", "🧞", "spirit", "none", "genie genio", mood="happy"),
    _n("troll", "🧌", "person", "none", "troll orc ogre orco", setting="forest", mood="spooky"),
    _n("mage_old", "🧙‍♂️", "person", "none", "sorcerer merlin gandalf stregone", mood="epic"),
    _n("old_person", "🧓", "person", "none", "old_man old_woman elderly anziano anziana vecchietto vecchietta"),
    _n("family", "👪", "person", "none", "family famiglia parents genitori"),
    _n("friend", "🧑", "person", "none", "friend friends amico amica amici amiche"),
    _n("mother", "👩‍🍼", "person", "none", "mom mum mother mommy mamma madre"),
    _n("father", "👨", "person", "none", "dad father daddy papa padre babbo"),
    _n("pirate", "🏴‍☠️", "object", "none", "pirate_flag jolly_roger bandiera_pirata", mood="epic"),
    _n("broom", "🧹", "object", "none", "broom broomstick scopa manico_di_scopa", action="fly"),
    _n("shopping_bag", "🛍️", "object", "none", "shopping shopping_bag shopping_bags spesa borsa borse", action="idle"),
    # Vehicles people name.
    _n("suv", "🚙", "vehicle", "left", "suv jeep fuoristrada", setting="city_street"),
    _n("pickup", "🛻", "vehicle", "left", "pickup pickup_truck", setting="countryside"),
    _n("minibus", "🚐", "vehicle", "left", "minibus camper campervan caravan roulotte", setting="countryside"),
    _n("scooter", "🛵", "vehicle", "left", "moped motorino", setting="city_street"),
    _n("sports_car", "🏎️", "vehicle", "left", "sports_car supercar ferrari lamborghini porsche", mood="epic"),
    _n("bulldozer", "🚜", "vehicle", "left", "bulldozer excavator digger ruspa escavatore", setting="countryside"),
    _n("ferry", "⛴️", "boat", "none", "ferry traghetto", setting="ocean"),
    _n("motor_yacht", "🛥️", "boat", "none", "motor_yacht", setting="ocean"),
    _n(
        "rowboat",
        "🚣",
        "boat",
        "none",
        "rowboat rowing_boat fishing_boat small_boat barchetta barca_a_remi",
        setting="lake",
    ),
    _n("submarine", "🚢", "boat", "none", "submarine sottomarino_giallo", setting="underwater"),
    _n("cable_car", "🚠", "aircraft", "none", "cable_car gondola_lift funivia cabinovia", setting="mountains"),
    _n("small_plane", "🛩️", "aircraft", "none", "small_plane biplane aereoplanino", action="fly"),
    _n("satellite", "🛰️", "aircraft", "none", "satellite satellite", setting="space"),
    _n("sled", "🛷", "vehicle", "left", "sled sledge sleigh slitta slittino", setting="snowfield"),
    _n("roller_skate", "🛼", "vehicle", "none", "roller_skates rollerblades pattini", action="sail"),
    # Food.
    _n("salad", "🥗", "food", "none", "salad insalata"),
    _n("ramen", "🍜", "food", "none", "ramen noodle_soup soup zuppa minestra brodo"),
    _n("dumpling", "🥟", "food", "none", "dumpling dumplings ravioli"),
    _n("pancake", "🥞", "food", "none", "pancake pancakes crepe crepes frittelle", setting="kitchen"),
    _n("waffle", "🧇", "food", "none", "waffle waffles cialda"),
    _n("cupcake", "🧁", "food", "none", "cupcake cupcakes muffin muffins tortina"),
    _n("pie", "🥧", "food", "none", "pie crostata"),
    _n("candy", "🍬", "food", "none", "candy candies sweets caramella caramelle dolcetti"),
    _n("lollipop", "🍭", "food", "none", "lollipop lecca_lecca"),
    _n("honey", "🍯", "food", "none", "honey miele"),
    _n("milk", "🥛", "food", "none", "milk latte"),
    _n("tea", "🍵", "food", "none", "tea matcha tisana"),
    _n("juice", "🧃", "food", "none", "juice smoothie milkshake succo frullato"),
    _n("cocktail", "🍹", "food", "none", "cocktail cocktails spritz aperitivo", mood="happy"),
    _n("champagne", "🍾", "food", "none", "champagne prosecco spumante", mood="happy"),
    _n("peach", "🍑", "food", "none", "peach pesche"),
    _n("pineapple", "🍍", "food", "none", "pineapple ananas"),
    _n("coconut", "🥥", "food", "none", "coconut cocco noce_di_cocco", setting="beach"),
    _n("tomato", "🍅", "food", "none", "tomato tomatoes pomodoro pomodori"),
    _n("corn", "🌽", "food", "none", "corn mais pannocchia"),
    _n("potato", "🥔", "food", "none", "potato potatoes patata patate"),
    _n("broccoli", "🥦", "food", "none", "broccoli vegetables verdure"),
    _n("pear", "🍐", "food", "none", "pear pera pere"),
    _n("blueberry", "🫐", "food", "none", "blueberry blueberries mirtillo mirtilli"),
    _n("nut", "🥜", "food", "none", "nut nuts peanut peanuts acorn acorns nocciola noccioline ghianda ghiande noci"),
    _n("steak", "🥩", "food", "none", "steak meat bistecca carne"),
    _n("chicken_leg", "🍗", "food", "none", "fried_chicken drumstick pollo_fritto coscia_di_pollo"),
    _n("bacon", "🥓", "food", "none", "bacon pancetta"),
    _n("sandwich", "🥪", "food", "none", "sandwich panino panini tramezzino"),
    _n("burrito", "🌯", "food", "none", "burrito wrap kebab piadina"),
    _n("pretzel", "🥨", "food", "none", "pretzel"),
    _n("bagel", "🥯", "food", "none", "bagel"),
    _n("rice", "🍚", "food", "none", "rice riso risotto"),
    _n("curry", "🍛", "food", "none", "curry"),
    _n("bento", "🍱", "food", "none", "bento"),
    _n("onigiri", "🍙", "food", "none", "onigiri rice_ball"),
    _n("fried_shrimp", "🍤", "food", "none", "tempura fritto_misto"),
    _n("shaved_ice", "🍧", "food", "none", "shaved_ice granita granite sorbetto"),
    _n("sweet_potato", "🍠", "food", "none", "sweet_potato patata_dolce"),
    _n("kiwi", "🥝", "food", "none", "kiwi"),
    _n("mango", "🥭", "food", "none", "mango"),
    _n("pepper", "🌶️", "food", "none", "chili chilli peperoncino"),
    _n("baguette", "🥖", "food", "none", "baguette filone"),
    _n("bamboo", "🎋", "plant", "none", "bamboo bambu", setting="forest"),
    # Objects people put in scenes.
    _n("fishing_rod", "🎣", "object", "none", "fishing_rod fishing_pole rod canna_da_pesca", action="idle"),
    _n("camera", "📷", "object", "none", "photo photos photograph fotografia foto macchina_fotografica", action="idle"),
    _n("headphones", "🎧", "object", "none", "headphones cuffie", action="idle"),
    _n("saxophone", "🎷", "object", "none", "saxophone sax sassofono", setting="stage"),
    _n("accordion", "🪗", "object", "none", "accordion fisarmonica"),
    _n("banjo", "🪕", "object", "none", "banjo ukulele", setting="countryside"),
    _n("flute", "🪈", "object", "none", "flute flauto"),
    _n("paint", "🎨", "object", "none", "paint painting canvas palette dipinto quadro tela", action="idle"),
    _n("pencil", "✏️", "object", "none", "pencil pen matita penna", action="idle"),
    _n("tennis", "🎾", "object", "none", "tennis tennis_ball racket racchetta pallina_da_tennis", action="jump"),
    _n("volleyball", "🏐", "object", "none", "volleyball pallavolo", setting="beach", action="jump"),
    _n("american_football", "🏈", "object", "none", "rugby american_football football_americano", action="jump"),
    _n("baseball", "⚾", "object", "none", "baseball", action="jump"),
    _n("frisbee", "🥏", "object", "none", "frisbee", setting="park", action="fly"),
    _n("yoyo", "🪀", "object", "none", "yoyo yo_yo", action="jump"),
    _n("bubbles", "🫧", "object", "none", "bubble bubbles bolla bolle bollicine", action="float"),
    _n("trophy", "🏆", "object", "none", "trophy medal trofeo coppa medaglia", mood="epic", action="idle"),
    _n("bell", "🔔", "object", "none", "bell campana campanella", action="sway"),
    _n("key", "🔑", "object", "none", "key chiave", action="idle"),
    _n("bomb", "💣", "object", "none", "bomb bomba", action="idle"),
    _n("magnet", "🧲", "object", "none", "magnet calamita", action="idle"),
    _n("suitcase", "🧳", "object", "none", "suitcase luggage valigia valigie", action="idle"),
    _n("backpack", "🎒", "object", "none", "backpack rucksack zaino", action="idle"),
    _n("tent", "⛺", "object", "none", "tent camping campsite tenda campeggio", setting="forest", action="idle"),
    _n("bench", "🪑", "object", "none", "chair bench sedia panchina", action="idle"),
    _n("bed_prop", "🛏️", "object", "none", "bunk_bed lettino", setting="room", action="idle"),
    _n("sofa", "🛋️", "object", "none", "sofa couch divano", setting="room", action="idle"),
    _n("tv", "📺", "object", "none", "tv television televisione tele", setting="room", action="idle"),
    _n("puzzle", "🧩", "object", "none", "puzzle jigsaw", setting="room", action="idle"),
    _n(
        "game",
        "🎮",
        "object",
        "none",
        "videogame video_game videogames console playstation controller",
        setting="room",
        action="idle",
    ),
    _n("dice", "🎲", "object", "none", "dado dadi", action="spin"),
    _n("lantern_paper", "🪔", "object", "none", "oil_lamp lumino", action="idle"),
    _n(
        "firework",
        "🎆",
        "celestial",
        "none",
        "firework fireworks fuochi_d_artificio fuochi_artificiali fuochi_d'artificio botti",
        time="night",
        mood="happy",
    ),
    _n("sparkler", "🎇", "celestial", "none", "sparkler sparklers stelline", time="night", mood="happy"),
    _n("confetti", "🎉", "object", "none", "confetti coriandoli", mood="happy", action="float"),
    _n("snowman2", "☃️", "object", "none", "snowmen", setting="snowfield", action="idle"),
    _n("christmas", "🎄", "plant", "none", "christmas xmas natale albero_di_natale", setting="snowfield", mood="happy"),
    _n("boomerang", "🪃", "object", "none", "boomerang", action="spin"),
    _n("kite_big", "🪁", "aircraft", "none", "kites", setting="beach"),
    _n("sandcastle", "🏰", "object", "none", "sandcastle castello_di_sabbia", setting="beach", action="idle"),
    _n(
        "ferris_wheel",
        "🎡",
        "object",
        "none",
        "ferris_wheel funfair amusement_park luna_park ruota_panoramica",
        action="spin",
    ),
    _n("carousel", "🎠", "object", "none", "carousel merry_go_round giostra giostre", action="spin"),
    _n("roller_coaster", "🎢", "object", "none", "roller_coaster rollercoaster montagne_russe", action="idle"),
    _n(
        "tower",
        "🗼",
        "object",
        "none",
        "eiffel_tower eiffel tour_eiffel torre_eiffel tokyo_tower",
        action="idle",
        setting="city_skyline",
    ),
    _n(
        "liberty",
        "🗽",
        "object",
        "none",
        "statue_of_liberty statua_della_liberta",
        setting="city_skyline",
        action="idle",
    ),
    _n(
        "colosseum",
        "🏟️",
        "object",
        "none",
        "colosseum colosseo stadium stadio arena",
        setting="city_skyline",
        action="idle",
    ),
    _n("temple", "🏛️", "object", "none", "temple parthenon acropolis museum tempio partenone museo", action="idle"),
    _n("pagoda", "🏯", "object", "none", "pagoda japanese_castle", action="idle"),
    _n("shrine", "⛩️", "object", "none", "shrine torii santuario", action="idle"),
    _n("mosque", "🕌", "object", "none", "mosque taj_mahal moschea", action="idle"),
    _n("church", "⛪", "object", "none", "church chapel chiesa cappella", action="idle"),
    _n("moai", "🗿", "object", "none", "moai easter_island statue statua", action="idle"),
    _n("pyramid", "🔺", "object", "none", "pyramid pyramids piramide piramidi", setting="desert", action="idle"),
    _n("lighthouse", "🗼", "object", "none", "lighthouse faro", setting="beach", action="idle"),
    _n("bridge", "🌉", "object", "none", "bridge golden_gate ponte", action="idle"),
    _n(
        "rock",
        "🪨",
        "object",
        "none",
        "rock rocks boulder stone stones roccia rocce sasso sassi pietra masso",
        action="idle",
    ),
    _n("log", "🪵", "object", "none", "log logs wood_log tronco legna", action="idle"),
    _n("tornado", "🌪️", "celestial", "none", "tornado twister hurricane tornado uragano", mood="epic"),
    _n("lightning_bolt", "⚡", "celestial", "none", "lightning_bolt thunderbolt saetta", mood="epic"),
    _n(
        "wave_big",
        "🌊",
        "object",
        "none",
        "huge_wave big_wave giant_wave tsunami onda onde cavallone",
        setting="ocean",
        action="sway",
    ),
    _n("hibiscus", "🌺", "plant", "none", "hibiscus ibisco", setting="beach"),
    _n("daisy", "🌼", "plant", "none", "daisy daisies margherita margherite", setting="park"),
    _n(
        "herb",
        "🌿",
        "plant",
        "none",
        "plant plants herb herbs vine vines liana lianas pianta piante liane rampicante",
        setting="park",
    ),
    _n("seedling", "🌱", "plant", "none", "seedling sprout seed seeds germoglio seme semi", setting="park"),
    _n("clover", "🍀", "plant", "none", "clover quadrifoglio trifoglio", setting="park"),
    _n("wheat", "🌾", "plant", "none", "wheat grain rice_field grano spighe", setting="countryside"),
    _n("fallen_leaf", "🍂", "plant", "none", "fallen_leaves foglie_secche", setting="forest"),
)

# The sprites that read as a recurring character (a dog, a robot, a wizard) rather than a prop or a
# crowd (a taxi, a pizza, "man"): what a character picker offers. Every sprite is still accepted.
CHARACTER_SPRITES = (
    "alien", "astronaut", "bear", "bird", "cat", "chef", "clown", "cowboy", "detective", "dinosaur", "dog",
    "dolphin", "dragon", "duck", "elephant", "elf", "fairy", "fox", "frog", "ghost", "giraffe", "hamster",
    "horse", "lion", "mermaid", "monkey", "ninja", "octopus", "owl", "panda", "penguin", "prince", "princess",
    "rabbit", "robot", "santa", "shark", "sloth", "snowman", "superhero", "teddy_bear", "tiger", "turtle",
    "unicorn", "vampire", "wizard", "wolf", "zombie",
)  # fmt: skip

# Generic people change pose with the action: a running man is 🏃‍♂️, not 👨 sliding across the frame.
_MALE, _FEMALE = "\u200d♂️", "\u200d♀️"
PERSON_POSES: dict[str, str] = {
    "run": "🏃",
    "walk": "🚶",
    "dance": "💃",
    "swim": "🏊",
    "sail": "🏄",
    "sleep": "🛌",
    "sing": "🧑\u200d🎤",
    # Busts look odd bouncing on a lawn; the standing figure has legs.
    "jump": "🧍",
    "wave": "🧍",
    "idle": "🧍",
    "spin": "🧍",
}
PERSON_GENDER: dict[str, str] = {"man": _MALE, "boy": _MALE, "woman": _FEMALE, "girl": _FEMALE}
POSE_FACES: dict[str, Facing] = {"run": "left", "walk": "left", "swim": "left", "drive": "left"}

ACTION_WORDS: tuple[Keyword, ...] = (
    _k(
        "walk",
        "walk walks walking walked stroll strolls strolling wander wanders wandering march marching "
        "hike hikes hiking trek trekking stomp stomps stomping crawl crawls crawling pull pulls pulling "
        "collect collects collecting explore explores exploring wade wading pass passes passing "
        + _it_verb("cammin-are", "passeggi-are", "marci-are", "esplor-are", "gatton-are", "attravers-are")
        + " passeggiata gattona gattonando",
    ),
    _k(
        "run",
        "run runs running ran race races racing chase chases chasing sprint sprinting gallop galloping "
        "jog jogs jogging rush rushing rescue rescues rescuing flee fleeing run_away runs_away "
        + _it_verb("corr-ere", "scapp-are", "insegu-ire", "galopp-are")
        + " corsa corre_via scappa_via",
    ),
    _k(
        "jump",
        "jump jumps jumping jumped hop hops hopping bounce bounces bouncing leap leaping play plays playing "
        "laugh laughs laughing fight fights fighting climb climbs climbing catch catches catching kick kicking "
        "tricks trick do_tricks doing_tricks pounce pouncing "
        + _it_verb("salt-are", "saltell-are", "rimbalz-are", "gioc-are", "ride-ere", "combatt-ere"),
    ),
    _k(
        "fly",
        "fly flies flying flew soar soars soaring glide gliding hover hovering flight fly_away flies_away "
        "flying_away launch launches launching take_off takes_off taking_off lift_off blast_off "
        + _it_verb("vol-are", "plan-are", "decoll-are")
        + " volo vola_via volano_via volando_via parte_verso",
    ),
    _k(
        "swim",
        "swim swims swimming swam dive dives diving splash splashing snorkeling snorkelling "
        + _it_verb("nuot-are", "tuff-are", "sguazz-are"),
    ),
    _k(
        "dance",
        "dance dances dancing danced groove grooving party partying disco tango waltz salsa ballet breakdance "
        "breakdancing hip_hop twerk twerking " + _it_verb("ball-are", "danz-are") + " ballo danza",
    ),
    _k(
        "spin",
        "spin spins spinning twirl twirls twirling rotate rotating roll rolling whirl pirouette flip_over "
        "somersault backflip " + _it_verb("gir-are", "ruot-are", "rotol-are", "piroett-are"),
    ),
    _k(
        "fall",
        "fall falls falling fell drop drops dropping tumble tumbling trip trips tripping "
        + _it_verb("cad-ere", "precipit-are", "inciamp-are"),
    ),
    _k(
        "drive",
        "drive drives driving drove ride rides riding speed speeding cycling biking drifting drifts drift "
        "cruise cruising " + _it_verb("guid-are", "sfrecci-are", "pedal-are"),
    ),
    _k(
        "float",
        "float floats floating levitate levitating bob bobbing " + _it_verb("galleggi-are", "fluttu-are", "levit-are"),
    ),
    _k(
        "wave",
        "wave waves waving greet greets greeting hello hi say says saying "
        + _it_verb("salut-are")
        + " ciao dice dicono",
    ),
    _k(
        "sleep",
        "sleep sleeps sleeping asleep nap naps napping rest resting dream dreaming falls_asleep fell_asleep "
        "falling_asleep fall_asleep snooze snoozing lie_down lying "
        + _it_verb("dorm-ire", "ripos-are", "sogn-are", "sonnecchi-are")
        + " pisolino si_addormenta addormentato addormentata addormentati sdraiato sdraiata",
    ),
    _k(
        "sing",
        "sing sings singing sang roar roars roaring howl howls howling bark barks barking meow chirp chirping "
        "scream screaming shout shouting rap rapping music musica song melody "
        + _it_verb("cant-are", "abbai-are", "url-are", "cinguett-are", "grid-are", "suon-are")
        + " canzone ruggisce ruggiscono ruggire ruggito",
    ),
    _k(
        "sail",
        "sail sails sailing surf surfs surfing row rowing ski skiing skate skating skateboarding slide slides "
        "sliding sled sledding snowboard snowboarding glide_across "
        + _it_verb("scivol-are")
        + " "
        + _it_verb("navig-are", "veleggi-are", "surf-are", "sci-are", "pattin-are", "rem-are"),
    ),
    _k(
        "idle",
        "sit sits sitting stand stands standing read reading reads look looks looking stare stares staring "
        "gaze gazes gazing watch watches watching wait waiting think thinking cook cooks cooking relax relaxing "
        "bake bakes baking flip flips flipping write writes writing study studying work working "
        "pose posing fishing build builds building blow blows blowing cast casts casting hug hugs hugging "
        "watering erupt erupts erupting bloom blooms blooming glow glows "
        + _it_verb(
            "sed-ere",
            "guard-are",
            "aspett-are",
            "pens-are",
            "cucin-are",
            "rilass-are",
            "prepar-are",
            "legg-ere",
            "scriv-ere",
            "studi-are",
            "lavor-are",
            "pesc-are",
            "costru-ire",
            "abbracci-are",
            "fiss-are",
            "annaffi-are",
            "diping-ere",
        )
        + " seduto seduta seduti legge leggono erutta eruttano fiorisce fioriscono",
    ),
    _k(
        "eat",
        "eat eats eating ate munch munches munching nibble nibbling chew chewing drink drinks drinking "
        "lunch dinner breakfast picnic feast feasting sip sipping lick licking having_coffee having_lunch "
        "having_dinner "
        + _it_verb("mangi-are", "mastic-are", "sgranocchi-are", "assaggi-are", "lecc-are")
        + " beve bevono bere bevendo merenda pranzo cena colazione",
    ),
    _k(
        "sway",
        "sway sways swaying rock rocking swing swings swinging hang hangs hanging "
        + _it_verb("dondol-are", "ondeggi-are", "oscill-are")
        + " appeso appesa",
    ),
)

SETTING_WORDS: tuple[Keyword, ...] = (
    _k("beach", "beach beaches shore seaside island tropical coast spiaggia spiagge riva isola costa lido mare"),
    _k("ocean", "ocean sea open_sea sailing oceano onde mare_aperto alto_mare"),
    _k(
        "underwater",
        "underwater under_water under_the_sea undersea reef coral seabed deep_sea aquarium fishbowl fish_bowl "
        "fish_tank sott_acqua "
        "sottacqua sottomarino fondale barriera_corallina acquario fondo_del_mare fondo_al_mare abissi",
    ),
    _k(
        "city_street",
        "city_street street streets road roads downtown sidewalk alley traffic crossroads avenue highway motorway "
        "freeway skatepark parking strada strade vicolo marciapiede traffico incrocio viale centro autostrada "
        "parcheggio le_strade per_strada",
    ),
    _k(
        "city_skyline",
        "city skyline skyscraper skyscrapers metropolis rooftop rooftops new_york tokyo town paris london venice "
        "dubai hong_kong shanghai las_vegas harbour harbor citta grattacielo grattacieli metropoli tetto tetti "
        "milano roma parigi londra venezia napoli firenze cittadina porto",
    ),
    _k("forest", "forest forests woods wood woodland jungle rainforest foresta foreste bosco boschi giungla"),
    _k(
        "mountains",
        "mountain mountains alps peak peaks cliff cliffs summit valley hilltop montagna montagne monte monti alpi "
        "vetta "
        "cima dolomiti valle",
    ),
    _k("desert", "desert dune dunes sahara oasis canyon wild_west egypt deserto dune oasi egitto"),
    _k(
        "snowfield",
        "snowfield arctic antarctica antarctic tundra north_pole glacier iceberg igloo ice frozen_lake ski_slope "
        "slopes snowy_mountain polo_nord artico antartide ghiacciaio ghiacciai campo_di_neve ghiaccio pista_da_sci",
    ),
    _k(
        "space",
        "space outer_space galaxy cosmos universe orbit nebula space_station stazione_spaziale spazio galassia "
        "cosmo universo orbita nebulosa",
    ),
    _k(
        "room",
        "room bedroom living_room home indoors inside bathroom bed sofa couch apartment stanza "
        "camera_da_letto cameretta salotto soggiorno casa letto divano appartamento carpet rug window table "
        "tappeto finestra tavolo tavola",
    ),
    _k("kitchen", "kitchen bakery pizzeria cucina panetteria forno"),
    _k("cafe", "cafe coffee_shop coffeeshop restaurant diner bistro pub bar caffetteria ristorante trattoria"),
    _k("classroom", "classroom school blackboard class aula classe scuola lavagna"),
    _k("office", "office workplace desk ufficio scrivania"),
    _k("library", "library bookshop bookstore biblioteca libreria"),
    _k("market", "market marketplace bazaar souk stall stalls fair mercato mercatino bancarella bancarelle fiera"),
    _k(
        "cave",
        "cave caves cavern grotto dungeon tunnel grotta grotte caverna caverne miniera sotterraneo galleria",
    ),
    _k(
        "moon",
        "on_the_moon on_moon lunar moon_surface moonwalk moonbase sulla_luna lunare suolo_lunare",
    ),
    _k("mars", "mars on_mars red_planet martian marte su_marte pianeta_rosso marziano"),
    _k("savanna", "savanna savannah safari africa serengeti savana"),
    _k(
        "lake",
        "lake lakes pond ponds lagoon pool swimming_pool lakeside water lago laghi laghetto stagno laguna piscina "
        "acqua",
    ),
    _k(
        "river",
        "river rivers stream creek brook canal riverbank waterfall waterfalls fiume fiumi torrente ruscello "
        "canale cascata cascate",
    ),
    _k(
        "stage",
        "stage concert theater theatre show club nightclub gig spotlight spotlights talent_show festival palco "
        "palcoscenico concerto teatro discoteca spettacolo",
    ),
    _k("park", "park garden playground lawn backyard yard central_park parco giardino giardini parco_giochi cortile"),
    _k(
        "countryside",
        "countryside grass tall_grass farm field fields field_of fields_of campo_di prato_di village "
        "meadow meadows hill hills barn vineyard graveyard "
        "cemetery campagna fattoria campo campi villaggio paese prato prati collina colline vigneto cimitero",
    ),
)

TIME_WORDS: tuple[Keyword, ...] = (
    _k("dawn", "dawn sunrise daybreak morning alba aurora mattina mattino mattutino"),
    _k(
        "day",
        "day daytime noon midday afternoon sunny daylight summer hot_sun summertime estate estiva giorno "
        "mezzogiorno pomeriggio soleggiato",
    ),
    _k("sunset", "sunset dusk evening twilight golden_hour tramonto crepuscolo sera serata imbrunire"),
    _k(
        "night",
        "night nighttime midnight dark moonlight starry full_moon new_year new_years_eve eve notte luna_piena "
        "capodanno notturno mezzanotte buio stellata",
    ),
)

WEATHER_WORDS: tuple[Keyword, ...] = (
    _k("rain", "rain rains raining rainy drizzle shower pioggia piove piovoso pioviggina acquazzone"),
    _k(
        "snow",
        "snow snows snowing snowy blizzard snowfall winter wintry inverno invernale neve nevica nevoso "
        "nevicata bufera_di_neve",
    ),
    _k("fog", "fog foggy mist misty haze nebbia nebbioso foschia"),
    _k("storm", "storm stormy thunder thunderstorm lightning tempesta temporale tuono tuoni fulmine fulmini"),
    _k("wind", "wind windy breeze gust gale vento ventoso brezza raffica"),
    _k("clear", "clear cloudless sereno limpido"),
)

CAMERA_WORDS: tuple[Keyword, ...] = (
    _k(
        "zoom_out",
        "zoom_out zooming_out pull_back wide_shot wide wide_angle establishing_shot allontana allontanandosi "
        "campo_lungo grandangolo",
    ),
    _k(
        "close_up",
        "close_up closeup close_up_shot extreme_close_up macro macro_shot detail primo_piano primissimo_piano "
        "dettaglio ravvicinato da_vicino",
    ),
    _k(
        "drone",
        "drone drone_shot aerial aerial_view aerial_shot bird_s_eye_view birds_eye_view from_above overhead "
        "top_down flyover ripresa_aerea vista_aerea dall_alto con_drone ripresa_con_drone",
    ),
    _k("pov", "pov point_of_view first_person first_person_view soggettiva in_prima_persona punto_di_vista"),
    _k("time_lapse", "time_lapse timelapse time_lapsed hyperlapse fast_forward sped_up accelerato"),
    _k(
        "zoom_in",
        "zoom_in zooming_in zoom push_in dolly_in avvicina avvicinandosi zoomata",
    ),
    _k("pan_left", "pan_left panning_left panoramica_a_sinistra"),
    _k("pan_right", "pan pans panning pan_right panning_right panoramica panoramica_a_destra"),
    _k(
        "tracking",
        "tracking tracking_shot follow following follow_cam follows carrellata segue seguendo inseguimento "
        "camera_che_segue",
    ),
    _k(
        "slow_motion",
        "slow_motion slow_mo slowmo slo_mo in_slow_motion slowly rallentatore al_rallentatore ralenti lentamente",
    ),
    _k("shake", "shake shaking shaky handheld earthquake trema tremolante tremante terremoto mano"),
    _k("static", "static still tripod locked fixed fermo fissa fisso immobile"),
)

STYLE_WORDS: tuple[Keyword, ...] = (
    _k("cartoon", "cartoon cartoony animated animation comic comics cartone cartoni animato fumetto fumetti"),
    _k("neon", "neon neons neon_lights synthwave cyberpunk glowing fluorescent fluorescente luminoso luci_al_neon"),
    _k("vaporwave", "vaporwave vapor_wave outrun retrowave 80s anni_80 anni_ottanta"),
    _k("anime", "anime anime_style manga ghibli studio_ghibli japanese_animation cel_shaded cel_shading"),
    _k(
        "claymation",
        "claymation clay clay_animation stop_motion stopmotion plasticine play_doh aardman plastilina "
        "animazione_in_plastilina passo_uno",
    ),
    _k("pixel_art", "pixel_art pixel pixels pixelated 8_bit 8bit 16_bit 16bit retro_game arte_pixel pixelato"),
    _k("watercolour", "watercolour watercolor watercolours watercolors aquarelle acquerello acquerelli ad_acquerello"),
    _k(
        "oil_painting",
        "oil_painting oil_paint oil oils oil_on_canvas van_gogh impressionist dipinto_a_olio a_olio olio",
    ),
    _k(
        "sketch",
        "sketch sketched pencil_sketch pencil_drawing drawing hand_drawn line_art charcoal doodle schizzo "
        "disegno disegnato a_matita carboncino",
    ),
    _k("noir", "noir film_noir black_and_white monochrome bianco_e_nero monocromatico"),
    _k(
        "vintage",
        "vintage vintage_film old_film old_photo retro sepia 8mm super_8 super8 film_grain old_movie pellicola "
        "d_epoca epoca anni_70 anni_60 seppia",
    ),
    _k("pastel", "pastel pastels soft_colors soft_colours pastello pastelli tinte_pastello"),
)

MOOD_WORDS: tuple[Keyword, ...] = (
    _k(
        "happy",
        "happy joyful joy fun funny cheerful silly cute party celebrate celebration festive felice felici "
        "allegro allegra allegri gioioso divertente buffo carino festa",
    ),
    _k(
        "calm",
        "calm peaceful relaxing quiet serene gentle cozy chill dreamy calmo calma tranquillo tranquilla "
        "rilassante sereno serena pacifico dolce",
    ),
    _k(
        "spooky",
        "spooky scary haunted creepy horror halloween eerie sinister spaventoso spaventosa pauroso "
        "infestato inquietante horror abandoned ruins abbandonato abbandonata rovine",
    ),
    _k(
        "epic",
        "epic heroic battle dramatic giant legendary powerful cinematic epico epica eroico battaglia "
        "drammatico gigante leggendario potente",
    ),
    _k(
        "romantic",
        "romantic romance kiss kissing wedding date valentine romantico romantica bacio baci matrimonio "
        "innamorato innamorati",
    ),
    _k("sad", "sad lonely melancholy crying cry tears triste tristi malinconico piange lacrime"),
)

# A character's feeling, which the face shows ("a sad clown" does not grin); the mood above is the clip's.
EMOTION_WORDS: tuple[Keyword, ...] = (
    # The one emotion vocabulary of the engine: the planner gives each to its character
    # (SubjectPlan.emotion) and bodies draw it on the face (interactions.py). Words another table
    # already owns ("sleeping" is an action, "melancholy" a mood) are read there instead.
    _k(
        "happy",
        "happy happily joyful joyfully cheerful jolly smiling smile smiles laughing laugh laughs excited glad "
        "delighted felice felici allegro allegra allegre contento contenta contenti contente sorride sorridente "
        "sorridendo ridendo gioiosa entusiasta",
    ),
    _k(
        "sad",
        "sad sadly unhappy lonely alone crying cries cry tears weeping tearful gloomy sorrowful heartbroken "
        "depressed upset triste tristi piange piangono piangendo lacrime malinconico malinconica depresso "
        "depressa sconsolato sconsolata infelice",
    ),
    _k(
        "angry",
        "angry angrily mad furious grumpy annoyed raging rage arrabbiato arrabbiata arrabbiati arrabbiate "
        "furioso furiosa infuriato infuriata irritato irritata imbronciato",
    ),
    _k(
        "scared",
        "scared afraid frightened terrified fearful nervous panicking spaventato spaventata spaventati "
        "spaventate impaurito impaurita terrorizzato terrorizzata paura",
    ),
    _k(
        "surprised",
        "surprised shocked amazed astonished stunned sorpreso sorpresa sorpresi stupito stupita meravigliato "
        "meravigliata scioccato",
    ),
    _k(
        "sleepy", "sleepy tired yawning yawns drowsy exhausted assonnato assonnata stanco stanca sbadiglia sbadigliando"
    ),
    _k("love", "in_love loving lovestruck innamorato innamorata innamorati"),
)

# Colour name -> (canonical name, RGB). Italian adjectives inflect, so all four forms are listed.
COLORS: dict[str, tuple[str, tuple[int, int, int]]] = {}
for _name, _rgb, _forms in (
    ("red", (226, 38, 38), "red scarlet crimson rosso rossa rossi rosse"),
    ("blue", (40, 96, 230), "blue navy blu azzurro azzurra azzurri azzurre"),
    ("green", (40, 170, 70), "green verde verdi"),
    ("yellow", (250, 210, 30), "yellow giallo gialla gialli gialle"),
    ("orange", (250, 130, 20), "orange arancione arancioni"),
    ("purple", (140, 60, 200), "purple violet viola lilla"),
    ("pink", (245, 110, 180), "pink rosa"),
    ("black", (30, 30, 34), "black nero nera neri nere"),
    ("white", (245, 245, 245), "white bianco bianca bianchi bianche"),
    ("gold", (230, 180, 40), "gold golden oro dorato dorata dorati"),
    ("silver", (190, 195, 205), "silver argento argentato argentata"),
    ("brown", (130, 80, 40), "brown marrone marroni"),
    ("grey", (128, 128, 134), "grey gray grigio grigia grigi grigie"),
):
    for _w in _words(_forms):
        COLORS[_w] = (_name, _rgb)

NUMBERS: dict[str, int] = {
    "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "pair": 2, "couple": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "dozen": 12, "few": 3,
    "several": 4, "many": 5, "lots": 5, "some": 3,
    "un": 1, "uno": 1, "una": 1, "due": 2, "paio": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
    "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "dozzina": 12, "alcuni": 3, "alcune": 3,
    "qualche": 3, "molti": 5, "molte": 5, "tanti": 5, "tante": 5,
}  # fmt: skip

# Words that carry no scene meaning; they are neither matched nor reported as unknown.
STOPWORDS: frozenset[str] = frozenset(
    _words(
        "the a an of on in at to into onto over under above below with without and or but while as is are "
        "was were be being been it its this that these those there their his her he she they we you i my "
        "your our from by for near next through around across along between behind front very really so "
        "just then than too also who which what when where how up down out off away back toward towards "
        "all each every other some any no not do does did has have had can could will would should may "
        "might must make makes making get gets getting go goes going little big small large huge tiny "
        "tall short old young new beautiful pretty nice cool lovely funny cute among amid hot",
    )
    + _words(
        "il lo la i gli le l un uno una un di del dello della dei degli delle a al allo alla ai agli alle "
        "da dal dallo dalla dai dagli dalle in nel nello nella nei negli nelle su sul sullo sulla sui sugli "
        "sulle con col per tra fra e ed o oppure ma mentre che chi cui come dove quando quanto sotto sopra "
        "dentro fuori vicino lontano davanti caldo dietro verso accanto mio mia suo sua loro nostro questo "
        "questa quello quella ci si ne non piu molto poco tutto tutti tutte ogni anche gia ancora poi "
        "sono e era erano essere ha hanno fa fanno va vanno piccolo piccola grande grandi bello bella "
        "bellissimo bellissima enorme minuscolo vecchio giovane nuovo nuova d s nell sull dall dell all coll "
        "quell un' style styled stile shot ripresa version versione after before during later dopo prima durante",
    )
)

ITALIAN_MARKERS: frozenset[str] = frozenset(
    _words("il lo la gli le un una uno di del della che sulla sul nella nel con al alla dei delle e tra sotto")
)

# A role without a figure of its own is a person with the role's prop: "a fisherman" is a man with a
# fishing rod. Word -> (person noun, prop noun).
ROLES: dict[str, tuple[str, str]] = {}
for _person, _prop, _forms in (
    ("man", "fishing_rod", "fisherman fishermen angler pescatore pescatori"),
    ("person", "camera", "photographer tourist tourists fotografo fotografa turista turisti"),
    ("person", "guitar", "guitarist musician musicians busker chitarrista musicista musicisti"),
    ("person", "piano", "pianist pianista"),
    ("person", "drum", "drummer batterista"),
    ("person", "violin", "violinist violinista"),
    ("person", "headphones", "dj deejay gamer"),
    ("person", "microphone", "rapper comedian youtuber streamer influencer presenter rapper comico"),
    ("person", "phone", "tiktoker selfie"),
    ("person", "skateboard", "skateboarder skateboarders skater skaters"),
    ("person", "backpack", "hiker hikers backpacker traveler traveller escursionista viaggiatore"),
    ("person", "tent", "camper campers campeggiatore"),
    ("person", "book", "reader writer poet scrittore scrittrice poeta lettore"),
    ("person", "coffee", "waiter waitress barista cameriere cameriera"),
    ("person", "sword", "warrior gladiator viking guerriero gladiatore vichingo"),
    ("man", "sailboat", "sailor sailors marinaio marinai"),
    ("man", "pirate", "pirate pirates pirata pirati corsaro"),
    ("man", "sword", "knight knights cavaliere cavalieri paladin paladino"),
    ("person", "paint", "painters"),
    ("person", "basketball", "basketball_player cestista"),
    ("person", "ball", "footballer soccer_player calciatore calciatori"),
    ("person", "tennis", "tennis_player tennista"),
    ("person", "magic_wand", "prestigiatore illusionist"),
    ("person", "shopping_bag", "shopper shoppers"),
):
    for _w in _words(_forms):
        ROLES[_w.replace("_", " ")] = (_person, _prop)

# Quantities that make a group out of one noun: "a field of flowers" is many flowers.
QUANTITY_PHRASES: dict[str, int] = {
    " ".join(_words(p.replace("_", " "))): 5
    for p in (
        "field_of fields_of bunch_of flock_of herd_of school_of swarm_of pack_of group_of lots_of a_lot_of "
        "full_of crowd_of army_of family_of pile_of bouquet_of garden_of sea_of sky_full_of "
        "campo_di prato_di mazzo_di stormo_di branco_di gregge_di sciame_di gruppo_di banco_di pieno_di "
        "pieni_di pieno_di tanti_tanti un_sacco_di mucchio_di famiglia_di"
    ).split()
}

# A word for a young animal right before or after the animal names that animal, not a second subject:
# "baby elephant", "cucciolo di leone", "elephant calf".
YOUNG_WORDS: frozenset[str] = frozenset(
    _words("baby babies little cub cubs calf calves puppy puppies pup kitten kittens cucciolo cuccioli piccolo")
)
