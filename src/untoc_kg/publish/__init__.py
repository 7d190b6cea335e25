"""The living graph: documents added to, reissued in and withdrawn from a published graph one at a
time, without extracting or rebuilding the rest.

- `records`: what a build keeps of its documents (their records, losslessly) and the `Index` that
  says which documents touch which resources;
- `units`: which resources a document touches, and which resource owns a triple's subject;
- `revise`: the pure heart: old and new records of the touched resources -> the triples to replace;
- `history`: the PROV record of an update, and what a replaced or withdrawn issue leaves behind;
- `update`: a copy of the published store, the change applied, validated, dumped, published.
"""
