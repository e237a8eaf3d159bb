"""Video models run through diffusers on a GPU: `ltx2` (LTX-2, picture and sound) and `wan` (Wan 2.2
TI2V-5B, with Figment's sound). torch and diffusers come with the optional `models` extra and are imported
only when one of these backends runs, never when the app starts. docs/MODELS.md is the operator's guide."""
