<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AdvancedOptions</name>
    <message>
        <source>How the per-map scores become weights:</source>
        <translation>各マップのスコアを重みにする方法:</translation>
    </message>
    <message>
        <source>What masked-out parts of the photo become:</source>
        <translation>マスクで隠した部分を何で埋めるか:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Masked inputs per forward pass (auto: the engine&apos;s choice)</source>
        <translation>1回の計算でネットワークに通すマスク画像の数(自動: エンジンが決めます)</translation>
    </message>
    <message>
        <source>Where the forward passes run (auto: GPU when there is one)</source>
        <translation>計算を行う場所(自動: GPU があれば GPU)</translation>
    </message>
    <message>
        <source>Precision of the masked forward passes (auto: reduced only where it was measured to be faster and to give the same map). Classification always runs in fp32.</source>
        <translation>マスク画像を計算するときの数値精度(自動: 速く、同じマップになると測定で確かめられた場合だけ下げます)。分類はいつも fp32 で行います。</translation>
    </message>
    <message>
        <source>Weighting</source>
        <translation>重み付け</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>塗りつぶし</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>数値精度</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>メッセージを閉じる</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Compare makes the map with several methods, so you can see whether they agree. With “Measure how faithful”, each map is also tested: does the network still see the class in the parts the map marks, and does it lose it when they are removed?</source>
        <translation>「比較」では複数の手法でマップを作り、結果が一致するかを確かめられます。「忠実度を測る」をオンにすると、各マップも検証します: マップが示す部分だけでネットワークはまだそのクラスだと判断できるか、その部分を取り除くと判断できなくなるか。</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Details below the photo</source>
        <translation>写真の下の詳細</translation>
    </message>
    <message>
        <source>Show or hide the details below the photo</source>
        <translation>写真の下の詳細を表示/非表示</translation>
    </message>
    <message>
        <source>Hide the details below, so that the photo gets the room (F8)</source>
        <translation>下の詳細を隠して、写真を大きく表示します(F8)</translation>
    </message>
    <message>
        <source>Show the details below the photo (F8)</source>
        <translation>写真の下に詳細を表示します(F8)</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{s} s</source>
        <translation>{s}秒</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m}分</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m}分{s}秒</translation>
    </message>
</context>
<context>
    <name>FaithView</name>
    <message>
        <source>Each column re-initialises more of the network&apos;s layers, from the top (the class scores) down; the maps are compared with the intact network&apos;s (ρ: rank correlation, SSIM: structural similarity, both 1 for the same map). A method that depends on what the network learnt loses similarity; the noise map ignores the network and keeps it (Adebayo et al., 2018).</source>
        <translation>右の列ほど、ネットワークの層を上(クラスのスコア)から順に多く初期化し直しています。各マップは元のネットワークのマップと比べます(ρ: 順位相関、SSIM: 構造の類似度。同じマップならどちらも 1)。ネットワークが学習した内容に頼る手法では類似度が下がり、ネットワークを見ないノイズマップでは下がりません(Adebayo ほか, 2018)。</translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation>グリッドテスト</translation>
    </message>
</context>
<context>
    <name>FeatureMapViewer</name>
    <message>
        <source>strongest first</source>
        <translation>強い順</translation>
    </message>
    <message>
        <source>by number</source>
        <translation>番号順</translation>
    </message>
    <message>
        <source>at random (as MATLAB)</source>
        <translation>ランダム(MATLAB と同じ)</translation>
    </message>
    <message>
        <source>After Explain, this tab shows what the network&apos;s layer detects in the photo: each feature map lights up where the layer found one pattern. The strongest come first.</source>
        <translation>「説明する」のあと、このタブにはネットワークの層が写真の中に見つけたものが表示されます。特徴マップは、層がある模様を見つけた場所で明るくなります。強いものから順に並びます。</translation>
    </message>
    <message>
        <source>Step through the maps by how much they count in the map (their Score-CAM weight), by channel number, or in a random order as the MATLAB example does</source>
        <translation>マップを見る順番: マップへの寄与(Score-CAM の重み)の大きい順、チャネル番号順、または MATLAB の例と同じランダムな順</translation>
    </message>
    <message>
        <source>Order of the feature maps</source>
        <translation>特徴マップの順番</translation>
    </message>
    <message>
        <source>Which map, in the chosen order</source>
        <translation>選んだ順番で何番目のマップか</translation>
    </message>
    <message>
        <source>Feature map number</source>
        <translation>特徴マップの番号</translation>
    </message>
    <message>
        <source>Feature map</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>On the photo</source>
        <translation>写真に重ねる</translation>
    </message>
    <message>
        <source>Lay the feature map over the photo the network saw, to see where it fires; off: the raw map, one square per cell of the layer</source>
        <translation>ネットワークが見た写真に特徴マップを重ね、どこで反応しているかを表示します。オフ: 層の1マスを1つの四角で表した元のマップ</translation>
    </message>
    <message>
        <source>What the layer detects, strongest first</source>
        <translation>層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>strength</source>
        <translation>強さ</translation>
    </message>
    <message>
        <source>How strongly the map fires (its activation values)</source>
        <translation>マップの反応の強さ(活性化の値)</translation>
    </message>
    <message>
        <source>The chosen feature map</source>
        <translation>選んだ特徴マップ</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>マップ</translation>
    </message>
    <message>
        <source>Yellow: where each map fires. #number · how much it counts. Click one to look.</source>
        <translation>黄色: 各マップが反応した場所。#番号 · 寄与の大きさ。クリックで拡大。</translation>
    </message>
    <message>
        <source>What the network&apos;s last layer detects, strongest first</source>
        <translation>ネットワークの最後の層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>What this layer detects, strongest first</source>
        <translation>この層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>Feature map #{channel} found nothing in this photo (it counts {weight}).</source>
        <translation>特徴マップ #{channel} はこの写真の中に何も見つけませんでした(寄与 {weight})。</translation>
    </message>
    <message>
        <source>Feature map #{channel} counts the most of all {count} (weight {weight}).</source>
        <translation>特徴マップ #{channel} は {count} 枚の中で最も寄与しています(重み {weight})。</translation>
    </message>
    <message>
        <source>Feature map #{channel}: number {rank} of {count} by how much it counts.</source>
        <translation>特徴マップ #{channel}: 寄与の大きさで {count} 枚中 {rank} 番目です。</translation>
    </message>
</context>
<context>
    <name>JobProgress</name>
    <message>
        <source>Progress</source>
        <translation>進み具合</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>実行中の処理を止めます(Esc)</translation>
    </message>
    <message>
        <source>Stop here</source>
        <translation>ここで止める</translation>
    </message>
    <message>
        <source>Keep the map as refined so far (marked approximate) and stop scoring masked inputs</source>
        <translation>ここまでに仕上がったマップを(近似として)残し、マスク画像の計算をやめます</translation>
    </message>
</context>
<context>
    <name>MaskedInputsMontage</name>
    <message>
        <source>After Explain, this tab shows what Score-CAM showed the network: the photo seen through one feature map at a time, with how strongly the network still saw the class in each.</source>
        <translation>「説明する」のあと、このタブには Score-CAM がネットワークに見せた画像が表示されます。特徴マップを1枚ずつ通して見た写真(マスク画像)と、それぞれでネットワークがまだどれだけそのクラスだと判断したかです。</translation>
    </message>
    <message>
        <source>The photo seen through the strongest feature maps</source>
        <translation>最も強い特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>The photo seen through a dozen feature maps at random</source>
        <translation>ランダムに選んだ十数枚の特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>Strongest</source>
        <translation>強い順</translation>
    </message>
    <message>
        <source>At random
(as MATLAB)</source>
        <translation>ランダム
(MATLAB と同じ)</translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees the class in it. Click one to open its map.</source>
        <translation>各画像は特徴マップ1枚を通して見た写真です。数字は、ネットワークがその画像をまだどれだけそのクラスだと判断するかを示します。クリックでそのマップを開きます。</translation>
    </message>
    <message>
        <source>What the network was shown</source>
        <translation>ネットワークに見せた画像</translation>
    </message>
    <message>
        <source>The photo seen through feature map #{channel}: the network&apos;s {kind} for the class is {score} (Score-CAM weight {weight}). Click to open the map.</source>
        <translation>特徴マップ #{channel} を通して見た写真: このクラスに対するネットワークの{kind}は {score} です(Score-CAM の重み {weight})。クリックでマップを開きます。</translation>
    </message>
    <message>
        <source>“{name}”</source>
        <translation>「{name}」</translation>
    </message>
    <message>
        <source>the class</source>
        <translation>そのクラス</translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees {what} in it ({kind}). Click one to open its map.</source>
        <translation>各画像は特徴マップ1枚を通して見た写真です。数字は、ネットワークがその画像にまだどれだけ{what}を見ているかを示します({kind})。クリックでそのマップを開きます。</translation>
    </message>
</context>
<context>
    <name>ScoreKind</name>
    <message>
        <source>probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>ロジット</translation>
    </message>
    <message>
        <source>score</source>
        <translation>スコア</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>bundled</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>ダウンロード済み</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>読み込み済み</translation>
    </message>
    <message>
        <source>to download</source>
        <translation>要ダウンロード</translation>
    </message>
    <message>
        <source>model file</source>
        <translation>モデルファイル</translation>
    </message>
    <message>
        <source>no tensor output</source>
        <translation>テンソル出力なし</translation>
    </message>
    <message>
        <source>The image classifier whose decision is explained</source>
        <translation>判断を説明する画像分類ネットワーク</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Which of the network&apos;s layers the map is made from. The default (bold) is the last one, whose feature maps detect whole objects and parts; any layer with a C×H×W output works.</source>
        <translation>ネットワークのどの層からマップを作るか。既定(太字)は最後の層で、その特徴マップは物体全体やその部分を捉えます。出力が C×H×W の層ならどれでも使えます。</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>説明する</translation>
    </message>
    <message>
        <source>Make the map again with the choices above (F5). A new photo is explained at once.</source>
        <translation>上の設定でマップを作り直します(F5)。新しい写真はすぐに説明されます。</translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation>重みを読み込む…</translation>
    </message>
    <message>
        <source>Use a weights file you have (for example, fine-tuned)</source>
        <translation>手元の重みファイルを使います(たとえば追加学習したもの)</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>詳細設定</translation>
    </message>
    <message>
        <source>{layer}: {kind}, output {shape}</source>
        <translation>{layer}: {kind}、出力 {shape}</translation>
    </message>
    <message>
        <source>{layer}: Score-CAM needs a layer with a C×H×W output</source>
        <translation>{layer}: Score-CAM には出力が C×H×W の層が必要です</translation>
    </message>
</context>
<context>
    <name>TopMapsGrid</name>
    <message>
        <source>The strongest feature maps</source>
        <translation>最も強い特徴マップ</translation>
    </message>
    <message>
        <source>Feature map #{k} (channel {k}): it counts {weight} in the map (its Score-CAM weight). Click to look at it closely.</source>
        <translation>特徴マップ #{k}(チャネル {k}): マップへの寄与は {weight} です(Score-CAM の重み)。クリックで拡大します。</translation>
    </message>
</context>
<context>
    <name>WeightsPlot</name>
    <message>
        <source>Each feature map&apos;s weight in the heat map (its Score-CAM weight), largest first. A steep drop means a few maps make the picture; a flat curve, many.</source>
        <translation>ヒートマップに対する各特徴マップの重み(Score-CAM の重み)を大きい順に並べたもの。急に下がるなら少数のマップで、なだらかなら多くのマップで絵ができています。</translation>
    </message>
    <message>
        <source>How much each feature map counts, largest first</source>
        <translation>各特徴マップの寄与(大きい順)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>maps, strongest first</source>
        <translation>マップ(強い順)</translation>
    </message>
    <message>
        <source>After Explain: how much each of the layer&apos;s feature maps counts in the heat map.</source>
        <translation>「説明する」のあと: 層の各特徴マップがヒートマップにどれだけ寄与しているか。</translation>
    </message>
    <message>
        <source>The {top} strongest of {count} maps make {share} of the heat map.</source>
        <translation>{count} 枚中、強い {top} 枚でヒートマップの {share} を占めます。</translation>
    </message>
    <message>
        <source>{done} masked inputs were scored for {count} maps (maps that are empty or alike share one).</source>
        <translation>{count} 枚のマップに対して {done} 枚のマスク画像を計算しました(空のマップや似たマップは1枚を共有します)。</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation>画像 ({patterns});;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>&amp;Open Photos…</source>
        <translation>写真を開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open photos (Ctrl+O)</source>
        <translation>写真を開きます(Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Paste Photo</source>
        <translation>写真を貼り付け(&amp;P)</translation>
    </message>
    <message>
        <source>Explain the image on the clipboard</source>
        <translation>クリップボードの画像を説明します</translation>
    </message>
    <message>
        <source>&amp;Copy Overlay</source>
        <translation>重ねた画像をコピー(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the picture as shown</source>
        <translation>表示中の画像をそのままコピーします</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>書き出し(&amp;E)…</translation>
    </message>
    <message>
        <source>Explain a &amp;Folder…</source>
        <translation>フォルダーを説明(&amp;F)…</translation>
    </message>
    <message>
        <source>Explain every photo of a folder, in a gallery</source>
        <translation>フォルダー内のすべての写真を説明し、一覧で表示します</translation>
    </message>
    <message>
        <source>&amp;Import Weights…</source>
        <translation>重みを読み込む(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Forget Imported Weights</source>
        <translation>読み込んだ重みを使わない(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Model File…</source>
        <translation>モデルファイルを開く(&amp;M)…</translation>
    </message>
    <message>
        <source>Explain with an ONNX model file</source>
        <translation>ONNX モデルファイルで説明します</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Explain</source>
        <translation>説明する(&amp;E)</translation>
    </message>
    <message>
        <source>Make the map again with the current choices</source>
        <translation>今の設定でマップを作り直します</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>キャンセル(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>実行中の処理を止めます(Esc)</translation>
    </message>
    <message>
        <source>&amp;Previous Photo</source>
        <translation>前の写真(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next Photo</source>
        <translation>次の写真(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Hide Map</source>
        <translation>マップを隠す(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Fit Photo</source>
        <translation>写真を全体表示(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Grey Photo (MATLAB&apos;s Look)</source>
        <translation>白黒の写真(MATLAB 風)(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Colour Photo</source>
        <translation>カラーの写真(&amp;C)</translation>
    </message>
    <message>
        <source>Show &amp;Details Below</source>
        <translation>下に詳細を表示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>レイアウトを元に戻す(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;How to Read the Map</source>
        <translation>マップの読み方(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation>{app} について(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>ログフォルダーを開く(&amp;L)</translation>
    </message>
    <message>
        <source>The window&apos;s language is now {language}; some texts change when Score-CAM Studio next starts.</source>
        <translation>表示言語を{language}にしました。一部の表示は Score-CAM Studio を次に起動したときに切り替わります。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近使った写真(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語 / Language(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>一覧を消去</translation>
    </message>
    <message>
        <source>No recent photos</source>
        <translation>最近使った写真はありません</translation>
    </message>
    <message>
        <source>Copied the picture to the clipboard.</source>
        <translation>画像をクリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>Open photos</source>
        <translation>写真を開く</translation>
    </message>
    <message>
        <source>Exported {count} files to {folder}.</source>
        <translation>{count} 個のファイルを {folder} に書き出しました。</translation>
    </message>
    <message>
        <source>How to read the map</source>
        <translation>マップの読み方</translation>
    </message>
</context>
<context>
    <name>_Tile</name>
    <message>
        <source>Click to show this map over the photo above</source>
        <translation>クリックすると、このマップを上の写真に重ねて表示します</translation>
    </message>
</context>
</TS>
