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
)  # fmt: skip
TIMES = ("dawn", "day", "sunset", "night")
WEATHERS = ("clear", "rain", "snow", "fog", "storm", "wind")
CAMERAS = ("static", "pan_left", "pan_right", "zoom_in", "zoom_out", "shake", "tracking", "slow_motion")
STYLES = ("natural", "cartoon", "neon", "noir", "vintage", "pastel")
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
    _n("cat", "🐈", "animal", "left", "cat kitten kitty gatto gatti gatta gatte gattino gattini micio"),
    _n("dog", "🐕", "animal", "left", "dog puppy doggo cane cani cagnolino cagnolini cucciolo"),
    _n("horse", "🐎", "animal", "left", "horse pony cavallo cavalli", setting="countryside"),
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
    _n("dinosaur", "🦖", "animal", "right", "dinosaur dino trex dinosauro dinosauri", mood="epic"),
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
    _n("bear", "🐻", "animal", "none", "bear orso orsi", setting="forest"),
    _n("polar_bear", "🐻\u200d❄️", "animal", "left", "polar_bear orso_polare", setting="snowfield"),
    _n("panda", "🐼", "animal", "none", "panda"),
    _n("rabbit", "🐇", "animal", "right", "rabbit bunny hare coniglio conigli coniglietto", setting="park"),
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
    _n("bird", "🐦", "bird", "right", "bird birdie sparrow uccello uccelli uccellino passero"),
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
    _n("fish", "🐟", "aquatic", "right", "fish fishes pesce pesci pesciolino", setting="underwater"),
    _n("tropical_fish", "🐠", "aquatic", "left", "tropical_fish clownfish pesce_tropicale", setting="underwater"),
    _n("dolphin", "🐬", "aquatic", "left", "dolphin delfino delfini", setting="ocean"),
    _n("whale", "🐋", "aquatic", "left", "whale balena balene", setting="ocean"),
    _n("shark", "🦈", "aquatic", "right", "shark squalo squali", setting="underwater"),
    _n("octopus", "🐙", "aquatic", "none", "octopus polpo polipo piovra", setting="underwater"),
    _n("jellyfish", "🪼", "aquatic", "none", "jellyfish medusa meduse", setting="underwater"),
    # People. Generic people may switch to an action pose (see PERSON_POSES).
    _n("person", "🧑", "person", "none", "person people human somebody someone persona persone qualcuno"),
    _n("man", "👨", "person", "none", "man men guy uomo uomini signore tizio"),
    _n("woman", "👩", "person", "none", "woman women lady donna donne signora"),
    _n("girl", "👧", "person", "none", "girl ragazza ragazze bambina bambine"),
    _n("boy", "👦", "person", "none", "boy ragazzo ragazzi bambino bambini"),
    _n("couple", "👫", "person", "none", "couple lovers coppia fidanzati innamorati", mood="romantic"),
    _n("kid", "🧒", "person", "none", "kid child children bimbo bimbi bimba"),
    _n("baby", "👶", "person", "none", "baby neonato neonata bebe"),
    _n("grandparent", "🧓", "person", "none", "grandma grandpa grandmother grandfather nonno nonna nonni"),
    _n("police", "👮", "person", "none", "police policeman cop poliziotto poliziotti carabiniere"),
    _n(
        "detective", "🕵️", "person", "none", "detective detectives spy investigator detective_privato investigatore spia"
    ),
    _n("astronaut", "🧑\u200d🚀", "person", "none", "astronaut spaceman astronauta astronauti", setting="space"),
    _n("wizard", "🧙", "person", "none", "wizard witch mage mago maghi strega", mood="epic"),
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
    _n("chef", "🧑\u200d🍳", "person", "none", "chef cook cuoco cuoca", setting="kitchen"),
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
    _n("car", "🚗", "vehicle", "left", "car auto automobile macchina macchine", setting="city_street"),
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
    _n("sailboat", "⛵", "boat", "none", "sailboat boat yacht barca barche barca_a_vela veliero", setting="ocean"),
    _n("speedboat", "🚤", "boat", "none", "speedboat motorboat motoscafo", setting="ocean"),
    _n("ship", "🚢", "boat", "none", "ship cruise nave navi transatlantico", setting="ocean"),
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
    _n("candle", "🕯️", "object", "none", "candle candela candele", mood="romantic", action="idle"),
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
    _n("flower", "🌸", "plant", "none", "flower flowers blossom fiore fiori", setting="park"),
    _n("rose", "🌹", "plant", "none", "rose roses", mood="romantic"),
    _n("sunflower", "🌻", "plant", "none", "sunflower girasole girasoli", setting="countryside"),
    _n("tulip", "🌷", "plant", "none", "tulip tulipano tulipani", setting="park"),
    _n("tree", "🌳", "plant", "none", "tree trees albero alberi quercia", setting="park"),
    _n("pine", "🌲", "plant", "none", "pine fir christmas_tree pino pini abete abeti", setting="forest"),
    _n("palm", "🌴", "plant", "none", "palm palm_tree palma palme", setting="beach"),
    _n("cactus", "🌵", "plant", "none", "cactus cacti", setting="desert"),
    _n("mushroom", "🍄", "plant", "none", "mushroom fungo funghi", setting="forest"),
    _n("leaf", "🍁", "plant", "none", "leaf leaves foglia foglie autumn autunno"),
    _n("volcano", "🌋", "object", "none", "volcano vulcano vulcani", mood="epic", action="idle"),
    _n("shell", "🐚", "object", "none", "shell seashell conchiglia conchiglie", setting="beach", action="idle"),
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
        "hike hikes hiking trek trekking " + _it_verb("cammin-are", "passeggi-are", "marci-are") + " passeggiata",
    ),
    _k(
        "run",
        "run runs running ran race races racing chase chases chasing sprint sprinting gallop galloping "
        "jog jogs jogging " + _it_verb("corr-ere", "scapp-are", "insegu-ire", "galopp-are") + " corsa",
    ),
    _k(
        "jump",
        "jump jumps jumping jumped hop hops hopping bounce bounces bouncing leap leaping play plays playing "
        "laugh laughs laughing fight fighting climb climbing "
        + _it_verb("salt-are", "saltell-are", "rimbalz-are", "gioc-are", "ride-ere", "combatt-ere"),
    ),
    _k(
        "fly",
        "fly flies flying flew soar soars soaring glide gliding hover hovering flight "
        + _it_verb("vol-are", "plan-are")
        + " volo",
    ),
    _k("swim", "swim swims swimming swam dive dives diving " + _it_verb("nuot-are", "tuff-are")),
    _k(
        "dance",
        "dance dances dancing danced groove grooving party partying disco "
        + _it_verb("ball-are", "danz-are")
        + " ballo danza",
    ),
    _k(
        "spin",
        "spin spins spinning twirl twirls twirling rotate rotating roll rolling whirl "
        + _it_verb("gir-are", "ruot-are", "rotol-are", "piroett-are"),
    ),
    _k(
        "fall",
        "fall falls falling fell drop drops dropping tumble tumbling " + _it_verb("cad-ere", "precipit-are"),
    ),
    _k(
        "drive",
        "drive drives driving drove ride rides riding speed speeding cycling biking "
        + _it_verb("guid-are", "sfrecci-are", "pedal-are"),
    ),
    _k(
        "float",
        "float floats floating drift drifts drifting levitate levitating "
        + _it_verb("galleggi-are", "fluttu-are", "levit-are"),
    ),
    _k(
        "wave",
        "wave waves waving greet greets greeting hello hi say says saying "
        + _it_verb("salut-are")
        + " ciao dice dicono",
    ),
    _k(
        "sleep",
        "sleep sleeps sleeping asleep nap napping rest resting dream dreaming "
        + _it_verb("dorm-ire", "ripos-are", "sogn-are")
        + " pisolino",
    ),
    _k("sing", "sing sings singing sang " + _it_verb("cant-are") + " canzone"),
    _k(
        "sail",
        "sail sails sailing surf surfs surfing row rowing ski skiing skate skating slide slides sliding sled "
        "sledding " + _it_verb("navig-are", "veleggi-are", "surf-are", "sci-are", "pattin-are", "rem-are"),
    ),
    _k(
        "idle",
        "sit sits sitting stand stands standing read reading look looking "
        "watch watching wait waiting think thinking cook cooking relax relaxing smile smiling "
        + _it_verb("sed-ere", "guard-are", "aspett-are", "pens-are", "cucin-are", "rilass-are")
        + " seduto seduta",
    ),
    _k(
        "eat",
        "eat eats eating ate munch munches munching nibble nibbling chew chewing drink drinks drinking "
        "lunch dinner breakfast " + _it_verb("mangi-are", "mastic-are", "sgranocchi-are") + " beve bevono bere bevendo",
    ),
    _k("sway", "sway sways swaying rock rocking " + _it_verb("dondol-are", "ondeggi-are")),
)

SETTING_WORDS: tuple[Keyword, ...] = (
    _k("beach", "beach beaches shore seaside island tropical coast spiaggia spiagge riva isola costa lido mare"),
    _k("ocean", "ocean sea open_sea sailing oceano onde mare_aperto alto_mare"),
    _k(
        "underwater",
        "underwater under_water under_the_sea undersea reef coral seabed deep_sea aquarium sott_acqua "
        "sottacqua sottomarino fondale barriera_corallina acquario fondo_del_mare fondo_al_mare abissi",
    ),
    _k(
        "city_street",
        "city_street street streets road downtown sidewalk alley traffic crossroads avenue strada strade via vicolo "
        "marciapiede traffico incrocio viale centro",
    ),
    _k(
        "city_skyline",
        "city skyline skyscraper skyscrapers metropolis rooftop new_york tokyo town citta grattacielo "
        "grattacieli metropoli tetto tetti milano roma",
    ),
    _k("forest", "forest forests woods wood woodland jungle rainforest foresta foreste bosco boschi giungla"),
    _k(
        "mountains",
        "mountain mountains alps peak peaks cliff summit valley montagna montagne monte monti alpi vetta "
        "cima dolomiti valle",
    ),
    _k("desert", "desert dune dunes sahara oasis deserto dune oasi"),
    _k(
        "snowfield",
        "snowfield arctic antarctica antarctic tundra north_pole glacier iceberg igloo polo_nord artico "
        "antartide ghiacciaio ghiacciai campo_di_neve",
    ),
    _k(
        "space",
        "space outer_space galaxy cosmos universe orbit nebula spazio galassia cosmo universo orbita nebulosa",
    ),
    _k(
        "room",
        "room bedroom living_room home indoors inside office bathroom bed classroom stanza "
        "camera_da_letto salotto soggiorno casa ufficio letto",
    ),
    _k("kitchen", "kitchen restaurant cafe bakery pizzeria cucina ristorante bar panetteria"),
    _k(
        "stage",
        "stage concert theater theatre show club nightclub gig palco palcoscenico concerto teatro discoteca spettacolo",
    ),
    _k("park", "park garden playground lawn parco giardino giardini parco_giochi"),
    _k(
        "countryside",
        "countryside farm field fields village meadow meadows hill hills lake river barn campagna "
        "fattoria campo campi villaggio paese prato prati collina colline lago fiume pond ponds stagno laghetto",
    ),
)

TIME_WORDS: tuple[Keyword, ...] = (
    _k("dawn", "dawn sunrise daybreak morning alba aurora mattina mattino mattutino"),
    _k("day", "day daytime noon midday afternoon sunny daylight giorno mezzogiorno pomeriggio soleggiato"),
    _k("sunset", "sunset dusk evening twilight golden_hour tramonto crepuscolo sera serata imbrunire"),
    _k("night", "night nighttime midnight dark moonlight starry notte notturno mezzanotte buio stellata"),
)

WEATHER_WORDS: tuple[Keyword, ...] = (
    _k("rain", "rain rains raining rainy drizzle shower pioggia piove piovoso pioviggina acquazzone"),
    _k("snow", "snow snows snowing snowy blizzard snowfall neve nevica nevoso nevicata bufera_di_neve"),
    _k("fog", "fog foggy mist misty haze nebbia nebbioso foschia"),
    _k("storm", "storm stormy thunder thunderstorm lightning tempesta temporale tuono tuoni fulmine fulmini"),
    _k("wind", "wind windy breeze gust gale vento ventoso brezza raffica"),
    _k("clear", "clear cloudless sereno limpido"),
)

CAMERA_WORDS: tuple[Keyword, ...] = (
    _k("zoom_out", "zoom_out zooming_out pull_back wide_shot wide allontana allontanandosi campo_lungo"),
    _k(
        "zoom_in",
        "zoom_in zooming_in zoom close_up closeup push_in dolly_in avvicina avvicinandosi primo_piano",
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
    _k("neon", "neon neons synthwave cyberpunk vaporwave glowing fluorescent fluorescente luminoso"),
    _k("noir", "noir film_noir black_and_white monochrome bianco_e_nero monocromatico"),
    _k(
        "vintage",
        "vintage vintage_film old_film retro sepia 8mm super_8 super8 film_grain old_movie pellicola "
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
        "infestato inquietante horror",
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
        "tall short old young new beautiful pretty nice cool lovely funny cute",
    )
    + _words(
        "il lo la i gli le l un uno una un di del dello della dei degli delle a al allo alla ai agli alle "
        "da dal dallo dalla dai dagli dalle in nel nello nella nei negli nelle su sul sullo sulla sui sugli "
        "sulle con col per tra fra e ed o oppure ma mentre che chi cui come dove quando quanto sotto sopra "
        "dentro fuori vicino lontano davanti dietro verso accanto mio mia suo sua loro nostro questo "
        "questa quello quella ci si ne non piu molto poco tutto tutti tutte ogni anche gia ancora poi "
        "sono e era erano essere ha hanno fa fanno va vanno piccolo piccola grande grandi bello bella "
        "bellissimo bellissima enorme minuscolo vecchio giovane nuovo nuova d s",
    )
)

ITALIAN_MARKERS: frozenset[str] = frozenset(
    _words("il lo la gli le un una uno di del della che sulla sul nella nel con al alla dei delle e tra sotto")
)
