"""A small published build in the real on-disk layout, for the server's tests: a hand-written graph
with one of each thing a page is made for, and data that tries to be markup."""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph

from untoc_kg.datadir.layout import DUMP_FILES, new_build_dir, new_build_id
from untoc_kg.datadir.manifest import write_manifest
from untoc_kg.datadir.writer import writing

BASE = "https://w3id.org/untoc-kg/id/"
HOSTILE_TEXT = 'States should </script><script>alert(1)</script> and "><img src=x onerror=alert(2)>'

SAMPLE = """
@prefix untoc: <https://w3id.org/untoc-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/untoc-kg/id/> .

<dataset> a void:Dataset ; dct:title "untoc-kg sample" ;
  dct:license <https://creativecommons.org/licenses/by/4.0/> .
untoc:Recommendation rdfs:label "Recommendation"@en .
untoc:Meeting rdfs:label "Meeting"@en .
untoc:StateParty rdfs:label "State party"@en .
untoc:Observer rdfs:label "Observer"@en .
<treaty/som> a untoc:Protocol ; rdfs:label "Smuggling of Migrants Protocol"@en .
<treaty/som/article/8> a untoc:Article ; rdfs:label "Article 8: Measures against the smuggling of migrants by sea"@en ;
  untoc:isPartOf <treaty/som> .
<treaty/som/article/8/paragraph/2> a untoc:Paragraph ; rdfs:label "Article 8, paragraph 2"@en ;
  untoc:isPartOf <treaty/som/article/8> .
<state/ITA> a untoc:State ; rdfs:label "Italy"@en ; dct:identifier "ITA" ;
  owl:sameAs <http://www.wikidata.org/entity/Q38> .
<state/MEX> a untoc:State ; rdfs:label "Mexico"@en ; dct:identifier "MEX" .
<organization/iom> a untoc:Organization ; rdfs:label "International Organization for Migration"@en .
<person/chair-3> a untoc:Person ; rdfs:label "A. Chairperson"@en ; untoc:state <state/MEX> .
<meeting/ctoc-cop-wg7/3> a untoc:Meeting ; rdfs:label "Third meeting of the Working Group"@en ;
  untoc:ordinal 3 ; schema:startDate "2015-11-18"^^xsd:date ; schema:endDate "2015-11-20"^^xsd:date ;
  untoc:chair <person/chair-3> ; untoc:agendaItem <meeting/ctoc-cop-wg7/3/agenda/1> ;
  untoc:attendee <state/ITA>, <organization/iom> .
<meeting/ctoc-cop-wg7/3/agenda/1> a untoc:AgendaItem ; untoc:position 1 ; dct:title "Organizational matters"@en .
<meeting/ctoc-cop-wg7/3/attendance/ITA> a untoc:Attendance ; untoc:atMeeting <meeting/ctoc-cop-wg7/3> ;
  untoc:participant <state/ITA> ; untoc:role untoc:StateParty .
<meeting/ctoc-cop-wg7/3/attendance/iom> a untoc:Attendance ; untoc:atMeeting <meeting/ctoc-cop-wg7/3> ;
  untoc:participant <organization/iom> ; untoc:role untoc:Observer .
<section/ctoc-cop-wg7/3/A> a untoc:Section ; rdfs:label "A. Smuggling by sea"@en .
<document/CTOC-COP-WG.7-2015-5> a untoc:Report ; dct:title "Report on the third meeting"@en ;
  dct:identifier "CTOC/COP/WG.7/2015/5" .
<recommendation/ctoc-cop-wg7/3/1> a untoc:Recommendation ;
  rdfs:label "Recommendation 1 of the third meeting"@en ;
  untoc:text "States parties should cooperate at sea, consistent with article 8 of the Protocol."@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/3> ; untoc:position 1 ; untoc:section <section/ctoc-cop-wg7/3/A> ;
  untoc:cites <treaty/som/article/8> ;
  untoc:subItem [ skos:notation "a" ; untoc:text "share information"@en ] ;
  untoc:occurrence <recommendation/ctoc-cop-wg7/3/1/in/CTOC-COP-WG.7-2015-5> .
<recommendation/ctoc-cop-wg7/3/1/in/CTOC-COP-WG.7-2015-5> a untoc:RecommendationOccurrence ;
  untoc:inDocument <document/CTOC-COP-WG.7-2015-5> ; untoc:paragraphLabel "1" .
<recommendation/ctoc-cop-wg7/3/2> a untoc:Recommendation ;
  rdfs:label "Recommendation 2 of the third meeting"@en ;
  untoc:text "{hostile}"@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/3> ; untoc:position 2 ;
  untoc:cites <treaty/som/article/8/paragraph/2> .
"""


def publish_sample(data_dir: Path, extra_turtle: str = "") -> str:
    """Build and publish the sample graph in `data_dir`; returns the build id."""
    created = datetime.now(timezone.utc)
    build_id = new_build_id(created)
    folder = new_build_dir(data_dir, build_id)
    text = SAMPLE.replace("{hostile}", HOSTILE_TEXT.replace('"', '\\"')) + extra_turtle
    store = pyoxigraph.Store(str(folder / "store"))
    store.load(text.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    triples = [
        q.triple for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    ]
    store.flush()
    del store
    turtle = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE)
    ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    bodies = {
        "untoc-kg.ttl": turtle,
        "untoc-kg.ttl.gz": gzip.compress(turtle),
        "untoc-kg.nt": ntriples,
        "untoc-kg.nt.gz": gzip.compress(ntriples),
    }
    dumps = []
    for name, body in bodies.items():
        (folder / "dumps" / name).write_bytes(body)
        dumps.append(
            {
                "file": name,
                "media_type": DUMP_FILES[name],
                "bytes": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        )
    write_manifest(
        folder,
        {
            "build_id": build_id,
            "base_uri": BASE,
            "created": created.isoformat(),
            "tool_version": "test",
            "triples": len(triples),
            "dumps": dumps,
            "conforms": True,
        },
    )
    with writing(data_dir, "build") as writer:
        writer.make_current(folder)
    return build_id
