"""The intent layer of prompt moderation, English and Italian: depicting is not instructing.

A clip of a chemistry class, a drug bust or a soldier with a rifle depicts; a prompt that asks for how
something dangerous is made, obtained or used asks for instructions, whatever the clip would show. The
rule is structural, not a list of phrases:

    instructions = a REQUEST (how to / come + infinitive, step by step, recipe, ingredients, quantities,
                   doses, where to buy, teach me, the best way to, without getting caught ...)
                 + a harmful TARGET (explosives, chemical and biological agents, poisons, drug synthesis
                   or purchase, illegal or home-made firearms, hurting a person, a method to die)
                 - a PROTECTIVE turn (quit, recover, recognise, survive, defuse, treat, prevent ...).

Self-harm is refused when it is described as an act, not only when it is asked about: a reflexive harm
verb (cutting herself, si taglia le braccia, throws himself under a train) or a stated aim to die
(to end his life, per farla finita, togliersi la vita).

Each part is a handful of regular expressions over the normalised prompt (moderation.normalise); the
embedding layer in moderation.py catches paraphrases these miss.
"""

from __future__ import annotations

import re

_W = r"(?<![\w])"  # word start


def _any(*parts: str) -> re.Pattern[str]:
    return re.compile(_W + "(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


# --- REQUEST: the prompt asks to be told or shown how (or where, or how much). -----------------------
# An infinitive, bare ("costruire") or with its pronoun ("procurarsi", "farlo", "prepararne").
_INFINITIVE_IT = r"\w+(?:are|ere|ire|rre|(?:ar|er|ir|rr)(?:l[aoie]|ne|si|mi|ti|ci|vi|gli\w*))"
# Cues that on their own ask for a procedure: a recipe, steps, quantities, a source.
_STRONG_REQUEST = _any(
    r"step[- ]by[- ]step",
    r"steps? (?:to|for)",
    r"instructions?",
    r"recipes?",
    r"ingredients?",
    r"quantit(?:y|ies)",
    r"(?:exact |precise |right )?(?:amounts?|proportions?|ratios?|doses?|dosage|measurements)",
    r"shopping list|list of (?:materials|ingredients|parts|chemicals|supplies)|lista della spesa",
    r"formula",
    r"procedure|procedura",
    r"grams?|grammi|kilos?|chili|milligrams?|milligrammi|ml",
    r"synthesi[sz]\w*",
    r"where (?:to|can i|could i|do i|should i|can you|can we|would i) \w+",
    r"precursors?|(?:equipment|materials?|parts|chemicals|supplies) (?:for|to|needed|required|list)",
    r"precursor[ei]|(?:attrezzatura|materiale|materiali|pezzi|sostanze|prodotti) (?:per|necessari\w*)",
    r"without (?:getting |being )?(?:caught|noticed|traced|detected)",
    r"without (?:anyone|anybody|the police|police) (?:noticing|knowing|finding out|suspecting)",
    r"without (?:a |any )?(?:licen[cs]e|background check|permit|serial number|prescription|trace)",
    r"passo (?:dopo |a )?passo",
    r"(?:i |tutti i |gli |tutte le |le )?(?:passaggi|fasi|step|passi)(?: esatt[ie]| precis[ie])?",
    r"istruzion[ei]",
    r"ricett[ae]",
    r"ingredient[ei]",
    r"quantità",
    r"dos[ei]|dosaggi?o?",
    r"procediment[oi]",
    r"sintesi|sintetizz\w*",
    r"dove (?:si )?(?:posso |potrei |puoi )?(?:compr|trov|procur|prend|ordin|acquist)\w*",
    r"senza (?:farsi |essere |venire |lasciare )?(?:beccar\w*|scopert[oaie]|prender\w*|tracce|notare)",
    r"senza (?:porto d'armi|licenza|ricetta|permesso|matricola)",
)
# Cues that ask how, but need a making, getting or harming verb next to the target to count.
_REQUEST = _any(
    r"how (?:to|do|does|did|can|could|would|should|much|many|is|are|long)",
    r"(?:teach|show|tell|explain|give)(?:s|ing)? (?:me|us|you|people|viewers)? ?(?:how|to|the)",
    r"(?:best|easiest|quickest|fastest|simplest|cheapest|surest|safest|most \w+|least \w+) (?:way|method|recipe)s?",
    r"(?:ways?|methods?|tips|tricks|guide|tutorial|manual|diy|walkthrough|lesson) (?:to|for|on|of)",
    r"(?:a |the )?(?:guide|tutorial|manual|diy|walkthrough|how-to)",
    r"what (?:\w+ ){0,3}(?:can|could|should|do|would|must) (?:i|you|we|one|people)",
    r"what (?:is|are) the (?:\w+ )?(?:best|ingredients|steps|chemicals|materials|parts|precursors|amounts?)",
    r"(?:list|name|give me|tell me) (?:the|all|every|some)",
    r"(?:qual[ei]?|cosa|che cosa) (?:\w+ ){0,4}?" + _INFINITIVE_IT,
    r"(?:elenca|elencami|dimmi) (?:i|le|gli|tutt\w*)",
    r"come (?:si |posso |puoi |potrei |faccio a |fare a |devo |riesco a |possiamo )?" + _INFINITIVE_IT,
    r"come si \w+",
    r"come (?:fanno|fa|hanno fatto|ha fatto|si riesce) (?:\w+ ){0,3}?a",
    r"quant[oaie]",
    r"(?:insegna|spiega|mostra|dimmi)(?:mi|ci|teci)? (?:come|a|il|la)",
    r"(?:il |un )?(?:modo|metodo|sistema) (?:migliore |più \w+ |meno \w+ )?(?:per|di)",
    r"(?:guida|tutorial|manuale|lezione|consigli|trucchi) (?:per|su|di|a)",
    r"(?:guida|tutorial|manuale|fai da te)",
    r"cosa (?:serve|servono|mi serve|mi servono|occorre)",
)
# Verbs of making, getting, using on a person: with a bare "how to" they make the request concrete.
_ACT = _any(
    r"make|makes|making|made|build\w*|built|construct\w*|assembl\w*|craft\w*|cook\w*|synthesi[sz]\w*|produc\w*",
    r"manufactur\w*|brew\w*|extract\w*|refin\w*|mix\w*|prepar\w*|grow\w*|print\w*|convert\w*|turn\w*|modif\w*",
    r"get|gets|getting|got|buy\w*|bought|obtain\w*|acquir\w*|order\w*|score|find|smuggl\w*|sell\w*|cut|cutting",
    r"hide|hiding|poison\w*|kill\w*|knock\w* out|drug|drugging|detonat\w*|plant\w*|set off|blow up|trigger\w*",
    r"labs?|laborator\w*|spik\w*|lac(?:e|es|ed|ing)|put\w* together|rig|rigg\w*|set up|mont\w*|truccar\w*|arma\w*",
    r"fa(?:re|rlo|rla|rne|ccio|i)?|costrui\w*|fabbric\w*|assembl\w*|crea\w*|cucin\w*|produ\w*|prepar\w*|estra\w*",
    r"raffin\w*|mescol\w*|coltiv\w*|stampa\w*|convert\w*|trasform\w*|modific\w*|procura\w*|compra\w*|ottene\w*",
    r"ottien\w*|trova\w*|ordina\w*|vend\w*|spaccia\w*|taglia\w*|nascond\w*|avvelen\w*|uccid\w*|ammazza\w*",
    r"stordi\w*|droga(?:re|rla|rlo)|innesca\w*|piazza\w*|far esplodere|far saltare|far passare|contrabband\w*",
)
# A turn away from harm: learning to quit, treat, recognise or survive is not a recipe.
_PROTECTIVE = _any(
    r"quit\w*|stop(?:s|ping)? (?:using|taking)|recover\w*|rehab\w*|detox\w*|addict\w*|treat\w*|cure\w*",
    r"prevent\w*|avoid\w*|recogni[sz]\w*|spot|spotting|detect\w*|defus\w*|disarm\w*|dispos\w*|surviv\w*",
    r"protect\w*|report\w*|help (?:a|my|someone)|danger(?:s|ous)? of|risks? of|effects of|history of",
    r"dismantl\w*|raid\w*|bust\w*|seiz\w*|arrest\w*|smantell\w*|sequestr\w*|arrest\w*|blitz",
    r"smett\w*|disintossic\w*|dipenden\w*|cura(?:re|rsi)?|curar\w*|prevenir\w*|evitar\w*|riconosc\w*",
    r"disinnesc\w*|sopravviv\w*|protegg\w*|denunci\w*|aiutar\w*|pericoli|rischi|effetti|storia (?:di|del|della)",
)

# --- TARGET: what the instructions would be for. ---------------------------------------------------
# Explosives, incendiaries, chemical and biological agents, poisons. Named so that bath bombs, seed
# bombs, cream-filled "bombe" and cloudbursts ("bomba d'acqua") are not bombs.
_EXPLOSIVE = _any(
    r"(?:pipe |car |nail |dirty |letter |fertili[sz]er |suicide |time |home-?made |improvised )?"
    r"(?<!bath )(?<!seed )(?<!cherry )(?<!glitter )(?<!flavor )(?<!flavour )(?<!calorie )(?<!photo )(?<!water )bombs?"
    r"(?! ?(?:disposal|squad|shelter|threat|scare|sniff\w*|detect\w*))",
    r"explosives?(?! diarrh\w*)",
    r"fire-?bombs?|petrol bombs?|incendiary (?:device|bomb|grenade)s?|ordigno incendiario",
    r"(?:throw\w* |splash\w* |acid (?:attack|to throw))acid|acid attacks?",
    r"(?:l')?acido (?:da (?:tirare|lanciare)|in faccia)",
    r"(?:burn\w* down|set\w* fire to|torch\w*) (?:a |the |my |his |her |their |someone's |[\w']+'s )?(?:[\w']+ )?"
    r"(?:house|home|building|apartment|flat|car|school|shop|store|office|church|mosque|synagogue)",
    r"arson|set (?:a|the) fire in|dare fuoco (?:a|al|alla|alle|ai|all')|appiccare (?:un |il )?incendio|incendio doloso",
    r"(?:explosive|suicide) (?:vest|belt)",
    r"ied|ieds|detonators?|blasting caps?|grenades?|molotov\w*|napalm|thermite|tatp|hmtd|anfo|semtex|c-?4",
    r"nitroglycerin\w*|gunpowder|black powder|flash powder|petn|rdx",
    r"(?:nerve|mustard|chlorine|tear|toxic|poison(?:ous)?) gas|nerve agents?|sarin|vx|ricin|anthrax|botulinum",
    r"chemical weapons?|bio-?weapons?|biological weapons?|dirty bomb",
    r"cyanide|arsenic|strychnine|chloroform|thallium|lethal injection",
    r"(?:make|making|brew\w*|prepar\w*|produc\w*|extract\w*|mix\w*|cook\w*) (?:a |an |some |the )?(?:\w+ )?poisons?",
    r"(?!bomb[ae] (?:alla crema|fritt\w*|di semi|da bagno|calorica|d'acqua|al cioccolato))bomb[ae]",
    r"ordign[oi]|esplosiv[oi]|detonator[ei]|innesc(?:o|hi)|granat[ae]|molotov|napalm|termite|tritolo",
    r"nitroglicerina|polvere (?:da sparo|nera|pirica)",
    r"gas (?:nervino|sarin|tossico|mostarda|cloro)|ricina|antrace|armi chimiche|arma chimica|armi biologiche",
    r"cianuro|arsenico|stricnina|cloroformio|tallio",
    r"(?:fare|preparare|produrre|estrarre|creare|cucinare|ricavare) (?:il |un |del |dei |un )?(?:\w+ )?vele(?:no|ni)",
)
_DRUG = _any(
    r"meth|crystal meth|methamphetamine|amphetamines?|speed pills|cocaine|crack(?: cocaine)?|heroin|fentanyl",
    r"carfentanil|opium|lsd|acid tabs|mdma|ecstasy|molly|ghb|rohypnol|roofies?",
    r"date[- ]rape drugs?|dmt|ketamine|pcp|mescaline|psilocybin|magic mushrooms|hard drugs|illegal drugs",
    r"metanfetamina|anfetamin[ae]|cocaina|eroina|fentanil|oppio|ecstasy|droga dello stupro",
    r"droghe pesanti|ketamina|funghetti allucinogeni",
    r"(?:pseudo-?)?ephedrine|(?:pseudo)?efedrina|safrole|safrolo|p2p|red phosphorus|fosforo rosso",
)
_FIREARM = _any(
    r"guns?|pistols?|handguns?|rifles?|firearms?|shotguns?|revolvers?|ar-?15|ak-?47|uzi|weapons?|glock|beretta",
    r"pistol[ae]|fucil[ei]|arm[ae] da fuoco|armi|arma|mitra|kalashnikov|revolver",
)
# What turns a firearm prompt into a dangerous one: making it, making it silent or automatic, getting it
# around the law.
_FIREARM_ILLICIT = _any(
    r"silencers?|suppressors?|auto sear|bump stock|full[- ]auto\w*|fully automatic|ghost guns?|3-?d[- ]print\w*",
    r"untraceable|unregistered|illegal\w*|without (?:a |any )?(?:licen[cs]e|background check|permit|serial)",
    r"(?:on|from|sul|nel|dal) (?:the )?(?:dark|deep) ?web|black market|mercato nero",
    r"starter pistol|(?:make|build|manufactur\w*|assembl\w*|convert\w*|machin\w*) (?:a |an |your own |my own )?"
    r"(?:\w+ )?(?:gun|pistol|rifle|firearm|weapon|shotgun)",
    r"silenziator[ei]|a raffica|automatic[ao] (?:da|con)|stampa\w*(?: [\w']+){0,3} in 3-?d|stampante 3-?d",
    r"non (?:rin)?tracciabil[ei]",
    r"illegal\w*|senza (?:porto d'armi|licenza|matricola|permesso)|scacciacani|clandestin[ae]",
    r"(?:costrui\w*|fabbric\w*|fa(?:re|rsi)|assembl\w*|convert\w*|trasforma\w*) (?:un[ao]? |una |un'|l'|delle |dei )?"
    r"(?:\w+ )?(?:pistol[ae]|fucil[ei]|arm[ai]|mitra)",
    r"(?:armi|arma|pistol[ae]|fucil[ei]) fantasma",
)
_TOY = _any(
    r"toy|water (?:gun|pistol)|nerf|airsoft|paintball|glue gun|paper|cardboard|wooden|lego|cap gun",
    r"giocattolo|ad acqua|softair|pistola a colla|di carta|di cartone|di legno|scacciapensieri",
)
# A person as the object of harm: "how to poison my husband", "come stordire qualcuno", "avvelenarlo".
_PERSON_EN = (
    r"(?:someone|somebody|anyone|a person|people|a human|humans|a (?:man|woman|child|kid|baby|girl|boy)|an adult"
    r"|my (?:wife|husband|boss|neighbou?r|mother|father|mom|mum|dad|brother|sister|teacher|ex|girlfriend"
    r"|boyfriend|partner|classmate|coworker|colleague|roommate|family|grand(?:father|mother|pa|ma|parents)|son"
    r"|daughter|uncle|aunt|cousin|baby|friend|stepfather|stepmother|father-in-law|mother-in-law)"
    r"|him|her|them|a crowd)"
)
_PERSON_IT = (
    r"(?:qualcuno|una persona|le persone|la gente|un uomo|una donna|un bambino|una bambina|un adulto|una ragazza"
    r"|un ragazzo|mi[ao] (?:moglie|marito|madre|padre|fratello|sorella|ex|capo|vicin[oa]|collega|compagn[oa]"
    r"|fidanzat[oa]|coinquilin[oa]|nonn[oa]|figli[oa]|zi[oa]|cugin[oa]|amic[oa]|suocer[oa]|patrigno|matrigna)"
    r"|(?:il mio|la mia) (?:capo|vicin[oa]|collega|compagn[oa]|prof\w*|nonn[oa]|amic[oa])|una folla)"
)
_PERSON_NOUN_EN = (
    r"(?:(?:my|his|her|their|our|your|the|a|an|that) (?:\w+ )?(?:wife|husband|boss|neighbou?r|mother|father|mom|mum"
    r"|dad|brother|sister|teacher|ex|girlfriend|boyfriend|partner|classmate|coworker|colleague|roommate|flatmate"
    r"|grand(?:father|mother|pa|ma)|son|daughter|uncle|aunt|cousin|baby|friend|landlord|tenant|stepfather"
    r"|stepmother|man|woman|girl|boy|child|kid|guy|person|(?:dog|cat|pet|horse)s?)(?:'s (?:dog|cat|pet|horse))?)"
)
_PERSON_NOUN_IT = (
    r"(?:(?:il|la|lo|l'|i|le|gli|un|una|uno|mio|mia|suo|sua|il mio|la mia|il suo|la sua|i miei|le mie|quel|quella)"
    r" ?(?:\w+ )?(?:moglie|marito|capo|vicin[oaie]|madre|padre|fratello|sorella|prof\w*|ex|fidanzat[oaie]|collega"
    r"|compagn[oaie]|coinquilin[oaie]|nonn[oaie]|figli[oaie]?|zi[oaie]|cugin[oaie]|amic[oaie]|amici|suocer[oaie]"
    r"|padron\w* di casa|uomo|donna|ragazz[oaie]|bambin[oaie]|tizio|tizia|persona|(?:cane|gatto|cavallo|cani|gatti)"
    r"(?: del| della| di)?(?: \w+){0,2}))"
)
_HARM_PERSON = re.compile(
    _W + r"(?:(?:kill\w*|murder\w*|strangl\w*|stab\w*|poison\w*|knock\w* out|drug|drugging|sedat\w*|suffocat\w*"
    r"|kidnap\w*) "
    + _PERSON_EN
    + r"|(?:kill\w*|murder\w*|strangl\w*|stab\w*|poison\w*|knock\w* out|drug|drugging|sedat\w*|suffocat\w*"
    r"|kidnap\w*) "
    + _PERSON_NOUN_EN
    + r"|(?:uccid\w*|ammazza\w*|strangola\w*|accoltella\w*|avvelena\w*|stordi\w*|droga\w*|sedar\w*|soffoca\w*"
    r"|rapi(?:re|sci|sce)) "
    + _PERSON_NOUN_IT
    + r"|(?:uccid\w*|ammazza\w*|strangola\w*|accoltella\w*|avvelena\w*|stordi\w*|droga\w*|sedar\w*|soffoca\w*"
    r"|rapi(?:re|sci|sce)) "
    + _PERSON_IT
    + r"|(?:uccider|ammazzar|strangolar|accoltellar|avvelenar|stordir|drogar|sedar|soffocar|rapir)(?:lo|la|li|le)"
    r"|(?:drug|spike|spiking|spiked|poison\w*) (?:a |her |his |their |someone's |somebody's |a girl's |a woman's )?"
    r"(?:drink|glass|coffee|food|beer|wine)"
    r"|(?:droga\w*|avvelena\w*|corretto) (?:il|la|un|una) (?:drink|bicchiere|bevanda|caffè|cibo|birra|vino)"
    r"|(?:hide|get rid of|dispose of|dissolve) (?:a |the )?(?:dead )?body"
    r"|(?:nascondere|sbarazzarsi di|sciogliere) (?:un|il) (?:cadavere|corpo))(?![\w])",
    re.IGNORECASE,
)
# Amounts that kill, and death as the aim of a method: "how many pills does it take to die".
_DEATH_METHOD = _any(
    r"lethal dose|fatal dose|deadly dose|overdos\w*|to die|painless(?:ly)? (?:death|way to die|suicide)",
    r"bleed (?:out|to death)|dissanguar\w*|morire dissanguat\w*|end (?:it|things) (?:all|tonight|today|now)",
    r"(?:end|take) (?:my|his|her|their|your|one's) (?:own )?life|kill (?:me|myself|yourself|oneself)",
    r"dose (?:letale|mortale)|overdose(?: mortale)?|per morire|morire senza dolore|toglier(?:mi|si|ti) la vita",
    r"uccider(?:mi|si|ti)|ammazzar(?:mi|si|ti)|farla finita(?! con)",
)

# --- SELF-HARM AS AN ACT: described, not asked about. -------------------------------------------------
_SELF = r"(?:himself|herself|themselves|themself|myself|yourself|oneself)"
_BODY = (
    r"(?:arms?|wrists?|forearms?|thighs?|legs?|skin|veins?|braccia|braccio|avambracci|avambraccio|polsi|polso|cosce"
    r"|coscia|gambe|pelle|vene)"
)
_AIM_TO_DIE = _any(
    r"(?:end|take|ending|taking|ends|takes|ended|took|taken) (?:his|her|their|my|your|one's) (?:own )?life"
    r"|to end it all|to (?:kill|end) "
    + _SELF
    + r"|so (?:that )?(?:he|she|they|i) (?:can|could|will|would) die|(?:wants?|wanting|trying|tries) to die",
    r"to (?:shoot|hang|drown|poison|stab|gas|electrocute|suffocate) " + _SELF,
    r"(?:per|a) (?:spararsi|impiccarsi|avvelenarsi|annegarsi|pugnalarsi|soffocarsi|spararmi|impiccarmi|avvelenarmi)",
    r"per (?:farla finita(?! con)|morire(?! dal ridere)|togliersi la vita|uccidersi|ammazzarsi|non svegliarsi più)",
    r"toglier(?:mi|si|ti|ci)? la vita|si toglie la vita|si è tolt[oa] la vita",
    r"vuole morire|voleva morire|cerca di morire",
)
# A means of dying with death as its purpose: "swallowing all the pills to die", "sui binari per morire".
_MEANS = _any(
    r"pills?|tablets?|overdose|poison|noose|rope|razor|blades?|bridge|roof|rooftop|train|tracks|plastic bag|gas",
    r"exhaust|gun|pistol|cliff|ledge|pillol[ae]|compress[ae]|veleno|cappio|corda|lamett[ae]|ponte|tetto|treno",
    r"binari|pistola|sacchetto|gas|cornicione|scogliera|sonnifer\w*|sleeping pills|farmac\w*|medicines?|medicin\w*",
)
_PURPOSE_DEATH = _any(
    r"to die|so (?:he|she|they|i) (?:dies|die)|to stop breathing|to never wake up|never to wake up",
    r"so (?:he|she|they|i) (?:won't|will not|wouldn't|would not|doesn't|does not|don't|never) wake up",
    r"wait\w* for (?:the |a )?(?:train|truck|bus) to (?:hit|kill|run over|come)",
    r"aspetta\w* che (?:il |un )?(?:treno|camion)",
    r"per morire(?! dal ridere)|smettere di respirare|per non (?:ri)?svegliarsi|non svegliarsi più|non risvegliarsi",
)
# Verbs that name self-harm on their own when turned on oneself ("cutting herself"), and verbs that need
# a sign it was meant ("burning himself on purpose": people burn themselves on a stove too).
_SELF_HARM_ACT = re.compile(
    _W
    + r"(?:(?:cut|cuts|cutting|slit\w*|slash\w*|slic\w*|carv\w*|starv\w*|hang\w*|strangl\w*|suffocat\w*|stab\w*) "
    + _SELF
    + r"(?! (?:while|shaving|by accident|accidentally|on (?:a|the)|free|loose|short|a |an |some ))"
    r"|(?:tighten\w*|pull\w*|wrap\w*|loop\w*) (?:a |the )?(?:belt|rope|cord|cable|noose|wire) "
    r"(?:tight )?(?:around|round) "
    r"(?:his|her|their|my) (?:own )?neck"
    r"|(?:mi|ti|si) (?:stringe|stringeva|lega|legava|mette|metteva) (?:una |la |un |il )?"
    r"(?:cintura|corda|cavo|cappio|filo) "
    r"(?:al|intorno al|attorno al) collo"
    r"|(?:cut\w*|slit\w*|slash\w*|slic\w*|carv\w*)(?: [\w']+){0,2} (?:into |on |in )?"
    r"(?:his|her|their|my|your) (?:own )?"
    + _BODY
    + r"|(?:gun|pistol|revolver|barrel) (?:to|at|against|in) (?:his|her|their|my) own (?:head|temple|mouth)"
    r"|(?:vomit\w*|purg\w*|throw\w* up) (?:after (?:every|each) meal|to (?:lose|stay) \w+)"
    r"|(?:mi|ti|si) (?:taglia\w*|incide\w*|brucia\w*|ferisce|feriva|graffia\w*|sfregia\w*|squarcia\w*"
    r"|fa (?:dei |del )?tagli)"
    r"(?: [\w']+){0,2}? (?:le |i |gli |il |la |l'|sul |sulla |sulle |sui |sugli |alle |ai |agli |nelle |nella )?"
    + _BODY
    + r"|(?:mi|ti|si) (?:taglia\w*|incide\w*|brucia\w*|ferisce|graffia\w*) con (?:una |la |il |le |delle |un )?"
    r"(?:lamett\w*|rasoio|coltello|vetro|sigarett\w*|accendino)"
    r"|(?:mi|ti|si) (?:punta|mette|puntava|metteva) (?:una |la )?(?:pistola|canna|rivoltella) (?:alla|in) "
    r"(?:tempia|testa|bocca)"
    r"|vomita\w* dopo (?:ogni|i) pasti?|vomita\w* per dimagrire"
    r")(?![\w])",
    re.IGNORECASE,
)
# Throwing oneself off or under something; stunts, dives and jumps into water are not that.
_FALL = re.compile(
    _W
    + r"(?:(?:throw\w*|threw|hurl\w*|fling\w*|flung|jump\w*|leap\w*) "
    + _SELF
    + r" (?:off|from|under|in front of|out of)"
    r"|(?:mi|ti|si) (?:butta\w*|getta\w*|lancia\w*|buttava|gettava) (?:giù )?(?:da|dal|dalla|dallo|dai|sotto|sotto a"
    r"|sotto al|sotto alla|sotto un|sotto una|davanti a|davanti al)\b (?:un |una |il |la |lo |l')?"
    r"(?:ponte|tetto|finestra|balcone|palazzo|grattacielo|treno|binari|autobus|camion|metro\w*))",
    re.IGNORECASE,
)
_JUMP_FROM = _any(
    r"jump\w* (?:out )?(?:off|from|out of) (?:a |the |his |her |their )?(?:\w+ ){0,3}"
    r"(?:window|roof|rooftop|balcony|bridge|building|skyscraper|tower|floor|overpass)",
)
_ESCAPE = _any(r"escap\w*|fire|flames|burning|smoke|scappa\w*|fiamme|incendio|fumo|parkour|cat|dog|gatto|cane")
_LEISURE = _any(
    r"stunt\w*|bungee|parachut\w*|skydiv\w*|base jump\w*|wingsuit|div(?:e|er|ers|ing)|zip ?line|trampolin\w*",
    r"into the (?:water|sea|pool|lake|river)|controfigur\w*|paracadut\w*|tuff\w*|in acqua|in mare|nel mare",
    r"in piscina|nel lago|nel fiume|film d'azione|action (?:movie|film|scene)",
)
_WEAK_SELF_HARM = re.compile(
    _W + r"(?:(?:burn\w*|hurt\w*|harm\w*|hit\w*|punch\w*|scratch\w*|shoot\w*|shot|poison\w*|drown\w*|injur\w*"
    r"|bang\w*) "
    + _SELF
    + r"|(?:mi|ti|si) (?:brucia\w*|ferisce|feriva|colpisce|picchia\w*|fa male|faceva male|graffia\w*|taglia\w*)"
    r"|overdos\w*|(?:takes?|taking|took|swallow\w*) (?:too many|all (?:the|her|his|their|my)) \w+"
    r"|(?:prende|prendeva|ingoia|ingoiava) (?:troppe|troppi|tutte le|tutti i) \w+)",
    re.IGNORECASE,
)
_MEANT = _any(
    r"deliberately|on purpose|intentionally|purposely|again and again|over and over|repeatedly|in the head",
    r"in the mouth|to death|to die|apposta|di proposito|volontariamente|ripetutamente",
)


# --- GRAPHIC VIOLENCE: a blow, cut or shot at a person, with death or gore as the outcome. -----------------
_BLOW = _any(
    r"beat\w*|kick\w*|stomp\w*|smash\w*|hack\w*|crush\w*|stab\w*|slit|slash\w*|bludgeon\w*|execut\w*|lynch\w*",
    r"picchia\w*|pesta\w*|prend\w* a calci|calci\w*|spacca\w*|fracassa\w*|accoltella\w*|sgozza\w*|lincia\w*",
    r"giustizia(?:no|to|ta|ti|te|re|va|vano)|fucila\w*|massacra\w*|shoot\w*|shot|spara\w*",
)
_GORE = _any(
    r"to death|until (?:he|she|they|it) (?:dies|die|stops? moving|stops? breathing)|brains?|guts|entrails",
    r"blood (?:pouring|gushing|spurting|everywhere|all over)",
    r"(?:his|her|their) (?:skull|head|face) (?:cracked|split|caved)",
    r"(?:civilians|prisoners|hostages) (?:one by one|in a (?:ditch|line|row))",
    r"a morte|finché (?:non )?(?:muore|muoiono|non si muove più|smette di respirare)|cervello|cervella|budella",
    r"sangue (?:a fiotti|ovunque|dappertutto|che (?:esce|schizza|sgorga))",
    r"(?:civili|prigionieri|ostaggi)(?: \w+){0,2} (?:uno per uno|uno alla volta|in un fosso|in fila)",
)


def depicts_graphic_violence(text: str) -> bool:
    """A violent act with a deadly or gory outcome ("beaten to death", "giustiziano civili in un fosso")."""
    return _BLOW.search(text) is not None and _GORE.search(text) is not None


def asks_for_instructions(text: str) -> str | None:
    """The moderation category when `text` (normalised) asks how to make, get or use something harmful.

    "dangerous_instructions" for weapons, explosives, poisons, drugs and hurting a person; "self_harm"
    for a method or an amount to die. None for depictions and for harmless how-tos.
    """
    strong = _STRONG_REQUEST.search(text) is not None
    if not strong and _REQUEST.search(text) is None:
        return None
    if _PROTECTIVE.search(text):
        return None
    if _DEATH_METHOD.search(text) and not _HARM_PERSON.search(text):
        return "self_harm"
    acts = _ACT.search(text) is not None
    if _HARM_PERSON.search(text):
        return "dangerous_instructions"
    if (_EXPLOSIVE.search(text) or _DRUG.search(text)) and (strong or acts):
        return "dangerous_instructions"
    if _FIREARM.search(text) and _FIREARM_ILLICIT.search(text) and not _TOY.search(text):
        return "dangerous_instructions"
    return None


def describes_self_harm(text: str) -> bool:
    """A self-harm act in the prompt (a reflexive harm, a fall or a shot meant to kill), or an aim to die."""
    if _SELF_HARM_ACT.search(text) or _AIM_TO_DIE.search(text):
        return True
    if _MEANS.search(text) and _PURPOSE_DEATH.search(text):
        return True
    if _FALL.search(text) and not _LEISURE.search(text):
        return True
    if _JUMP_FROM.search(text) and not _LEISURE.search(text) and not _ESCAPE.search(text):
        return True
    return _WEAK_SELF_HARM.search(text) is not None and _MEANT.search(text) is not None


def asks_how(text: str) -> bool:
    """Any request cue at all: the embedding layer's instruction examples count only when one is present."""
    return _STRONG_REQUEST.search(text) is not None or _REQUEST.search(text) is not None


def asks_how_to_harm(text: str) -> bool:
    """A request cue without a protective turn: the prompt may be asking for a procedure. The embedding
    layer decides whether what it asks about is a harmful target (data/moderation_targets.json)."""
    return asks_how(text) and _PROTECTIVE.search(text) is None
