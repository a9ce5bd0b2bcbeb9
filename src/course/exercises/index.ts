// One module per notebook; importing registers its exercises.
import "./01-data-collection";
import "./02-preprocessing";
import "./03-tokenisation";
import "./04-transformer";
import "./05-pretraining";
import "./06-quantisation";
import "./07-fine-tuning";
import "./08-synthetic-data";
import "./09-evaluation";
import "./10-best-practices";
